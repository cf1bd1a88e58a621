"""update() changes the document but forgets to move it in the indexes."""

CAUGHT_BY = ["test_index_follows_inserts_updates_and_deletes"]

REPLACE = [
    ('                for index in self._indexes.values():\n'
     '                    index.remove(doc)\n'
     '                doc.update(_copy(changes))\n'
     '                for index in self._indexes.values():\n'
     '                    index.add(doc)\n',
     '                doc.update(_copy(changes))\n'),
]
