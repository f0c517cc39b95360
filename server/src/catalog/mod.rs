//! What Liquibase knows: change types, nested elements, attributes. Placeholder until the catalog lands.
