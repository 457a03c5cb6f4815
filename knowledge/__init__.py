"""The knowledge base: the rights statement as topics, texts and search indexes."""
