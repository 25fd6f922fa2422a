"""Learner progress: who completed which lesson, for anonymous learners and (later) accounts."""
