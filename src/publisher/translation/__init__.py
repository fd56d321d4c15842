"""Translation state and `publish translate`: protect, checks, glossary, lock, plan, history, translate."""
