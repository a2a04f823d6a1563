"""What coordinators decide about people, with no Flask in here.

visibility: who may see a profile. vetting: profiles sent for review and the decisions on
them. accounts: deactivating and reactivating. audit: a person's trail of decisions.
search: the people list and its filters. errors: refusals with the message and status.
Every function takes a Session and flushes; the caller commits (docs/decisions/016).
"""
