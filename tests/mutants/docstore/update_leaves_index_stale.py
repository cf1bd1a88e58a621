"""update() changes the document but forgets to move it in the indexes."""

REPLACE = [
    ('self._index_remove(doc["_id"], doc)\n                doc.update(_clean(changes, "changes"))\n'
     '                self._index_add(doc["_id"], doc)',
     'doc.update(_clean(changes, "changes"))'),
]
