"""Learn containers: a Django site with lessons, quizzes and a pod-spec playground."""
