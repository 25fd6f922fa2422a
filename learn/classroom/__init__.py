"""Classes: instructors assign modules, lessons, exercises and quizzes, and see who is where."""
