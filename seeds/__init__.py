"""The five seed articles (Arabic news, 2020-2024) that make qexplore's default corpus."""
