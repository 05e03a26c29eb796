"""The explorer's screens: main, actor, event, claim, article, help."""
