//! Reference graphs (prerequisites between flags, segments between segments):
//! cycles are rejected and chains are bounded, so evaluation recursion is finite.

/// Why a reference graph is refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum GraphError {
    /// The nodes along a cycle, first node repeated at the end.
    Cycle(Vec<usize>),
    /// A chain longer than the limit starts at this node.
    TooDeep(usize),
    /// Following every reference from this node visits more nodes than the
    /// limit (shared references count each time they are reached).
    TooWide(usize),
}

#[derive(Clone, Copy, PartialEq)]
enum Mark {
    New,
    OnPath,
    Done(usize),
}

/// Checks that `edges` (node → nodes it refers to) has no cycle and no chain
/// longer than `max_depth` references.
pub(crate) fn check_acyclic(edges: &[Vec<usize>], max_depth: usize) -> Result<(), GraphError> {
    let mut marks = vec![Mark::New; edges.len()];
    let (mut path, mut next_edge) = (Vec::new(), Vec::new());
    for root in 0..edges.len() {
        if marks[root] != Mark::New {
            continue;
        }
        // The walk ends with both stacks empty, ready for the next root.
        path.push(root);
        next_edge.push(0usize);
        marks[root] = Mark::OnPath;
        while let (Some(&node), Some(cursor)) = (path.last(), next_edge.last_mut()) {
            if let Some(&child) = edges[node].get(*cursor) {
                *cursor += 1;
                match marks[child] {
                    Mark::OnPath => {
                        let start = path.iter().position(|&n| n == child).unwrap_or(0);
                        let mut cycle = path[start..].to_vec();
                        cycle.push(child);
                        return Err(GraphError::Cycle(cycle));
                    }
                    Mark::New => {
                        marks[child] = Mark::OnPath;
                        path.push(child);
                        next_edge.push(0);
                    }
                    Mark::Done(_) => {}
                }
            } else {
                let depth = edges[node]
                    .iter()
                    .map(|&c| match marks[c] {
                        Mark::Done(d) => d + 1,
                        _ => 1,
                    })
                    .max()
                    .unwrap_or(0);
                if depth > max_depth {
                    return Err(GraphError::TooDeep(node));
                }
                marks[node] = Mark::Done(depth);
                path.pop();
                next_edge.pop();
            }
        }
    }
    Ok(())
}

/// Checks that following all references from any node, counting a node each
/// time it is reached, visits at most `max_visits` nodes. Evaluation follows
/// references that way, so this bounds its work. `edges` must be acyclic.
pub(crate) fn check_expansion(edges: &[Vec<usize>], max_visits: u64) -> Result<(), GraphError> {
    fn visits(node: usize, edges: &[Vec<usize>], memo: &mut [Option<u64>]) -> u64 {
        if let Some(known) = memo[node] {
            return known;
        }
        let total = edges[node].iter().fold(1u64, |sum, &child| sum.saturating_add(visits(child, edges, memo)));
        memo[node] = Some(total);
        total
    }
    let mut memo = vec![None; edges.len()];
    match (0..edges.len()).find(|&node| visits(node, edges, &mut memo) > max_visits) {
        Some(node) => Err(GraphError::TooWide(node)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_dags_and_finds_cycles() {
        assert_eq!(check_acyclic(&[vec![1, 2], vec![2], vec![]], 5), Ok(()));
        assert_eq!(check_acyclic(&[vec![1], vec![2], vec![0]], 5), Err(GraphError::Cycle(vec![0, 1, 2, 0])));
        assert_eq!(check_acyclic(&[vec![0]], 5), Err(GraphError::Cycle(vec![0, 0])));
        assert_eq!(check_acyclic(&[vec![], vec![2], vec![1]], 5), Err(GraphError::Cycle(vec![1, 2, 1])));
    }

    #[test]
    fn bounds_the_work_of_following_shared_references() {
        // A ladder of diamonds: node i refers to i+1 twice (via two paths), so visits double per rung.
        let ladder: Vec<Vec<usize>> = (0..20).map(|i| if i < 19 { vec![i + 1, i + 1] } else { vec![] }).collect();
        assert_eq!(check_expansion(&ladder, 1 << 20), Ok(()));
        assert_eq!(check_expansion(&ladder, 1_000), Err(GraphError::TooWide(0)));
    }

    #[test]
    fn bounds_chain_length() {
        let chain: Vec<Vec<usize>> = (0..10).map(|i| if i < 9 { vec![i + 1] } else { vec![] }).collect();
        assert_eq!(check_acyclic(&chain, 9), Ok(()));
        assert!(matches!(check_acyclic(&chain, 8), Err(GraphError::TooDeep(_))));
    }
}
