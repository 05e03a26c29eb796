"""qexplore's command line and terminal explorer."""
