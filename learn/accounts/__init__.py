"""Learner accounts: sign up, sign in (throttled), passwords; anonymous progress moves along."""
