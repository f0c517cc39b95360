//! The knowledge base: embeddings of Liquibase documentation and changelog knowledge, for retrieval.

pub mod embed;
