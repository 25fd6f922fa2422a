"""Quizzes: questions authored beside each lesson, graded on the server with explanations."""
