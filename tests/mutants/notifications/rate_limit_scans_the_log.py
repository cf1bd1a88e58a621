"""The rate limit counts recent sends by scanning the whole log: every send slows as it grows."""

CAUGHT_BY = ["test_send_cost_does_not_grow_with_the_log_even_with_a_rate_limit"]

REPLACE = [
    ('''        first_counted = bisect.bisect_left(times, True, key=lambda t: now - t < per_seconds)
        return len(times) - first_counted >= max_count''',
     '''        recent = sum(1 for d in self._log if (d.user_id, d.channel) == slot
                     and d.status == "sent" and now - d.at < per_seconds)
        return recent >= max_count'''),
]
