//! Syntax tree → Thompson NFA, and the simulation that runs it: every
//! thread advances together one character at a time, and a state is held
//! at most once per position, so a search costs O(text × program).

use super::parse::{Class, Look, Node};
use super::RegexErrorKind;
use crate::case::lower;
use crate::compile::limits::MAX_REGEX_INSTRUCTIONS;
use std::cell::RefCell;

/// One NFA instruction; indices point into the program.
#[derive(Debug, Clone, Copy)]
enum Inst {
    /// Consume one character of `classes[i]`.
    Class(u32),
    /// Continue only where the assertion holds.
    Look(Look),
    /// Continue at both.
    Split(u32, u32),
    /// Continue there.
    Jump(u32),
    /// The pattern matched.
    Match,
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(super) struct Program {
    insts: Box<[Inst]>,
    classes: Box<[Class]>,
    /// Each class's ASCII members as a bit set (two words), so that testing
    /// an ASCII character (most of what flag rules match) needs no range search.
    ascii: Box<[[u64; 2]]>,
    /// Starts with `\A` (or `^` without `m`): only a thread from the
    /// text's start can match.
    anchored: bool,
}

impl Program {
    /// Compiles `tree`, refusing programs over `MAX_REGEX_INSTRUCTIONS`.
    pub(super) fn compile(tree: &Node) -> Result<Program, RegexErrorKind> {
        let mut emitter = Emitter { insts: Vec::new(), classes: Vec::new() };
        emitter.node(tree)?;
        emitter.push(Inst::Match)?;
        let anchored = matches!(emitter.insts.first(), Some(Inst::Look(Look::TextStart)));
        let ascii = emitter.classes.iter().map(ascii_members).collect();
        Ok(Program { insts: emitter.insts.into(), classes: emitter.classes.into(), ascii, anchored })
    }

    /// Whether `c` is in class `class`.
    fn in_class(&self, class: u32, c: char) -> bool {
        match u32::from(c) {
            code @ 0..=127 => self.ascii[class as usize][(code >> 6) as usize] >> (code & 63) & 1 == 1,
            _ => matches(&self.classes[class as usize], c),
        }
    }

    /// Whether the pattern matches anywhere in `text`.
    pub(super) fn is_match(&self, text: &str) -> bool {
        SCRATCH.with(|scratch| {
            let Scratch { sets, stack } = &mut *scratch.borrow_mut();
            let size = 4 * self.insts.len();
            if sets.len() < size {
                sets.resize(size, 0);
            }
            let (current, next) = sets[..size].split_at_mut(size / 2);
            self.search(text, StateSet::new(current), StateSet::new(next), stack)
        })
    }

    /// The simulation: `current` holds the threads at a position, `next`
    /// collects them after its character.
    fn search<'b>(&self, text: &str, mut current: StateSet<'b>, mut next: StateSet<'b>, stack: &mut Vec<u32>) -> bool {
        stack.clear();
        let mut chars = text.chars();
        let (mut previous, mut ahead) = (None, chars.next());
        loop {
            let at = Position { previous, next: ahead };
            if (previous.is_none() || !self.anchored) && self.add(&mut current, stack, 0, at) {
                return true;
            }
            let Some(c) = ahead else { return false };
            let after = Position { previous: Some(c), next: chars.next() };
            for &pc in current.members() {
                if let Inst::Class(class) = self.insts[pc as usize] {
                    if self.in_class(class, c) && self.add(&mut next, stack, pc + 1, after) {
                        return true;
                    }
                }
            }
            if next.is_empty() && self.anchored {
                return false;
            }
            std::mem::swap(&mut current, &mut next);
            next.clear();
            (previous, ahead) = (after.previous, after.next);
        }
    }

    /// Adds `pc` and every state reachable from it without consuming a
    /// character at `at`; true when one of them is `Match`.
    ///
    /// Follows `pc` and the first branch of each split in place and stacks
    /// only the second, so a straight path costs no stack traffic.
    fn add(&self, set: &mut StateSet<'_>, stack: &mut Vec<u32>, pc: u32, at: Position) -> bool {
        let mut start = Some(pc);
        while let Some(mut pc) = start.take().or_else(|| stack.pop()) {
            while set.insert(pc) {
                match self.insts[pc as usize] {
                    Inst::Match => {
                        stack.clear();
                        return true;
                    }
                    Inst::Jump(to) => pc = to,
                    Inst::Split(first, second) => {
                        stack.push(second);
                        pc = first;
                    }
                    Inst::Look(look) if at.holds(look) => pc += 1,
                    Inst::Look(_) | Inst::Class(_) => break,
                }
            }
        }
        false
    }
}

/// The ASCII characters in a class, as a bit set: bit `c & 63` of word `c >> 6`.
fn ascii_members(class: &Class) -> [u64; 2] {
    let mut set = [0; 2];
    for byte in (0..128u8).filter(|&b| matches(class, char::from(b))) {
        set[usize::from(byte >> 6)] |= 1 << (byte & 63);
    }
    set
}

/// Whether `c` is in the class (through its lower-case form too when
/// case-insensitive). Out of line: searches call it only beyond ASCII.
#[inline(never)]
fn matches(class: &Class, c: char) -> bool {
    let contains = |c: char| {
        let ranges = &class.ranges;
        let i = ranges.partition_point(|&(_, end)| end < c);
        ranges.get(i).is_some_and(|&(start, _)| start <= c)
    };
    let inside = contains(c) || (class.fold && contains(lower(c)));
    inside != class.negated
}

/// The characters either side of a position in the text.
#[derive(Debug, Clone, Copy)]
struct Position {
    previous: Option<char>,
    next: Option<char>,
}

impl Position {
    /// Kept out of line: inlined into `add`, it made every search about
    /// 25 % slower (instruction counts), assertions or not.
    #[inline(never)]
    fn holds(self, look: Look) -> bool {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        match look {
            Look::TextStart => self.previous.is_none(),
            Look::TextEnd => self.next.is_none(),
            Look::LineStart => self.previous.is_none_or(|c| c == '\n'),
            Look::LineEnd => self.next.is_none_or(|c| c == '\n'),
            Look::WordBoundary => word(self.previous) != word(self.next),
            Look::NotWordBoundary => word(self.previous) == word(self.next),
            Look::WordStart => !word(self.previous) && word(self.next),
            Look::WordEnd => word(self.previous) && !word(self.next),
            Look::WordStartHalf => !word(self.previous),
            Look::WordEndHalf => !word(self.next),
        }
    }
}

/// Buffers every search reuses, so matching allocates nothing once they
/// have grown to the largest program run on this thread.
#[derive(Default)]
struct Scratch {
    /// Two state sets; stale contents are harmless (see `StateSet`).
    sets: Vec<u32>,
    stack: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// A set of program counters with O(1) insert and clear, in insertion
/// order (Briggs and Torczon's sparse set): a member is only trusted when
/// `dense` and `sparse` point at each other below `len`, so the buffers
/// need no clearing between searches.
struct StateSet<'b> {
    dense: &'b mut [u32],
    sparse: &'b mut [u32],
    len: usize,
}

impl<'b> StateSet<'b> {
    fn new(buffer: &'b mut [u32]) -> StateSet<'b> {
        let (dense, sparse) = buffer.split_at_mut(buffer.len() / 2);
        StateSet { dense, sparse, len: 0 }
    }

    fn insert(&mut self, pc: u32) -> bool {
        let slot = self.sparse[pc as usize] as usize;
        if slot < self.len && self.dense[slot] == pc {
            return false;
        }
        self.sparse[pc as usize] = self.len as u32;
        self.dense[self.len] = pc;
        self.len += 1;
        true
    }

    fn members(&self) -> &[u32] {
        &self.dense[..self.len]
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn clear(&mut self) {
        self.len = 0;
    }
}

/// Builds the instruction list.
struct Emitter {
    insts: Vec<Inst>,
    classes: Vec<Class>,
}

impl Emitter {
    /// Appends `inst`; returns its index.
    fn push(&mut self, inst: Inst) -> Result<u32, RegexErrorKind> {
        if self.insts.len() >= MAX_REGEX_INSTRUCTIONS {
            return Err(RegexErrorKind::TooBig);
        }
        self.insts.push(inst);
        Ok(self.insts.len() as u32 - 1)
    }

    fn here(&self) -> u32 {
        self.insts.len() as u32
    }

    fn node(&mut self, node: &Node) -> Result<(), RegexErrorKind> {
        match node {
            Node::Empty => {}
            Node::Class(class) => {
                self.classes.push(class.clone());
                self.push(Inst::Class(self.classes.len() as u32 - 1))?;
            }
            Node::Look(look) => {
                self.push(Inst::Look(*look))?;
            }
            Node::Concat(items) => items.iter().try_for_each(|item| self.node(item))?,
            Node::Alternate(branches) => self.alternate(branches)?,
            Node::Repeat { node, min, max } => self.repeat(node, *min, *max)?,
        }
        Ok(())
    }

    /// `split(a, next) a jump(end) next: split(b, …) … last end:`
    fn alternate(&mut self, branches: &[Node]) -> Result<(), RegexErrorKind> {
        let (last, others) = branches.split_last().expect("an alternation has branches");
        let mut jumps = Vec::with_capacity(others.len());
        for branch in others {
            let split = self.push(Inst::Split(0, 0))?;
            self.node(branch)?;
            jumps.push(self.push(Inst::Jump(0))?);
            self.insts[split as usize] = Inst::Split(split + 1, self.here());
        }
        self.node(last)?;
        let end = self.here();
        for jump in jumps {
            self.insts[jump as usize] = Inst::Jump(end);
        }
        Ok(())
    }

    /// `min` copies, then either a loop or `max - min` optional copies.
    fn repeat(&mut self, node: &Node, min: u32, max: Option<u32>) -> Result<(), RegexErrorKind> {
        let start = self.here();
        for _ in 0..min {
            self.node(node)?;
            if self.here() == start {
                // Copies of nothing are nothing: stop before a nest of
                // counted empty groups multiplies into a long loop.
                return Ok(());
            }
        }
        match max {
            None => {
                let split = self.push(Inst::Split(0, 0))?;
                self.node(node)?;
                self.push(Inst::Jump(split))?;
                self.insts[split as usize] = Inst::Split(split + 1, self.here());
            }
            Some(max) => {
                let mut splits = Vec::new();
                for _ in min..max {
                    splits.push(self.push(Inst::Split(0, 0))?);
                    self.node(node)?;
                }
                let end = self.here();
                for split in splits {
                    self.insts[split as usize] = Inst::Split(split + 1, end);
                }
            }
        }
        Ok(())
    }
}
