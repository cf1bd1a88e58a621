"""update() looks for matches first and returns 0 before it ever checks the changes."""

CAUGHT_BY = ["test_bad_changes_are_rejected_even_when_nothing_matches"]

REPLACE = [
    ('            matches = self._matches(query)\n            for doc in matches:\n'
     '                for index in self._indexes.values():\n                    index.remove(doc)\n'
     '                doc.update(',
     '            matches = self._matches(query)\n            if not matches:\n'
     '                return 0\n            for doc in matches:\n'
     '                for index in self._indexes.values():\n                    index.remove(doc)\n'
     '                doc.update('),
    ('        changes = _clean_dict(changes, "changes")\n'
     '        if "_id" in changes:\n'
     '            raise ValueError(f"changes may not set _id (got {_show(changes[\'_id\'])})")\n'
     '        with self._lock:\n'
     '            matches = self._matches(query)\n',
     '        with self._lock:\n'
     '            matches = self._matches(query)\n'
     '            changes = _clean_dict(changes, "changes") if matches else changes\n'
     '            if matches and "_id" in changes:\n'
     '                raise ValueError(f"changes may not set _id (got {changes[\'_id\']!r})")\n'),
]
