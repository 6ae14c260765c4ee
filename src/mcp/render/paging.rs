//! Choosing a page: consecutive units from an offset while their rendered size fits a budget.

use std::ops::Range;

/// Units `offset..end` whose costs sum to at most `budget`, and always at least one unit when
/// any remain, so reading page after page always advances. `offset` past the end gives an empty
/// range at the end.
pub fn take_page(
    offset: usize,
    total: usize,
    budget: usize,
    cost: impl Fn(usize) -> usize,
) -> Range<usize> {
    let start = offset.min(total);
    let mut used = 0usize;
    let mut end = start;
    while end < total {
        let c = cost(end);
        if end > start && used.saturating_add(c) > budget {
            break;
        }
        used = used.saturating_add(c);
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Reading page after page from 0 visits every unit exactly once, in order, and a page
        /// exceeds the budget only when it is a single unit larger than the budget.
        #[test]
        fn pages_partition_the_units(
            costs in prop::collection::vec(0usize..500, 0..200),
            budget in 0usize..2000,
        ) {
            let mut offset = 0;
            let mut seen = Vec::new();
            while offset < costs.len() {
                let page = take_page(offset, costs.len(), budget, |i| costs[i]);
                prop_assert_eq!(page.start, offset);
                prop_assert!(!page.is_empty());
                let size: usize = page.clone().map(|i| costs[i]).sum();
                prop_assert!(size <= budget || page.len() == 1);
                seen.extend(page.clone());
                offset = page.end;
            }
            prop_assert_eq!(seen, (0..costs.len()).collect::<Vec<_>>());
        }
    }

    #[test]
    fn past_the_end_is_empty() {
        assert_eq!(take_page(7, 5, 100, |_| 1), 5..5);
        assert_eq!(take_page(0, 0, 100, |_| 1), 0..0);
    }
}
