"""Generated ids count up without skipping ids callers chose, so "3" can be handed out twice."""

CAUGHT_BY = ["test_generated_ids_never_collide_with_ids_callers_chose"]

REPLACE = [
    ('        while doc_id in self._documents:\n            doc_id = str(next(self._next_id))\n',
     ''),
]
