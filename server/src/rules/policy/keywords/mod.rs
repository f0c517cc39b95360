//! Vendors' reserved words, as sorted upper-case arrays searched by binary search.
