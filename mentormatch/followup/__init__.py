"""After an introduction is approved: check-ins at set days, outcomes, and the step from
coaching to an investment introduction with the same person. No Flask in service.py."""
