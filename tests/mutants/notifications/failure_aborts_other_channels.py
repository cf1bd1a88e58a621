"""A channel that keeps failing stops the send, so the channels after it never deliver."""

REPLACE = [
    ('''                deliveries.append(delivery)
''',
     '''                deliveries.append(delivery)
                if status == "failed":
                    break
'''),
]
