"""load ignores the saved owner: after a reload no quota holds and links(owner=...) is empty."""

CAUGHT_BY = ["test_change_owners_survive_save_and_load_and_old_stores_load"]

REPLACE = [
    ('                record["hits"], record.get("owner"))\n',
     '                record["hits"], None)\n'),
]
