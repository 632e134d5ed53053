"""The registers of section 6: focus's official social media accounts and who may post on them (6.1,
6.3), kept by the communications team; and the professional sites and tools approved for use at work with
their conditions (6.4, 6.6), kept by the Head of Information & Security. Every signed-in member of staff
reads both."""
