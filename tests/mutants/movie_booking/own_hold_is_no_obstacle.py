"""A user's own live hold does not block their next hold, so one seat ends up in two holds."""

CAUGHT_BY = ["test_a_users_own_hold_blocks_their_second_hold_too"]

REPLACE = [
    ("taken = [seat for seat in wanted if seat in show.taken]",
     "taken = [seat for seat in wanted if seat in show.taken and not any(\n"
     "                hold.user_id == user_id and seat in hold.seats\n"
     "                for hold in self._holds.values())]"),
]
