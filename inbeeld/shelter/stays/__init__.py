"""The shelter's beds, stays and waitlist: the write functions and reads the pages and the API share.

``common`` (audit basis, own-site lookups, input rules), ``rooms`` (rooms, beds, house rules),
``waitlist`` and ``stays`` (check-in, changes, check-out, the bed board).
"""
