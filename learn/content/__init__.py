"""Course content: modules, lessons, quizzes, exercises and pages read from `content/`.

The bottom layer of the site: typed, immutable objects loaded once from files, with every author
mistake collected as a ContentError. It imports no feature app (lessons, quizzes, playground...).
"""
