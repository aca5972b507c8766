//! Positions in a payload (`flags.checkout.rules[1].when`), built on the stack
//! as the compiler descends and rendered to text only when an error needs one.

use std::fmt;

/// A position in the payload: the root, a key below a position, or an index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum At<'a> {
    /// The payload itself.
    Root,
    /// A named child.
    Key(&'a At<'a>, &'a str),
    /// A list element.
    Index(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    /// The child named `key`.
    pub(crate) fn key(&'a self, key: &'a str) -> At<'a> {
        At::Key(self, key)
    }

    /// The list element at `index`.
    pub(crate) fn index(&'a self, index: usize) -> At<'a> {
        At::Index(self, index)
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            At::Root => Ok(()),
            At::Key(At::Root, key) => f.write_str(key),
            At::Key(parent, key) => write!(f, "{parent}.{key}"),
            At::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}
