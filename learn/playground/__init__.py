"""The playground: check and draw as you type, exercises with goals, shared snapshots and embeds."""
