package dev.debuglab.dsl;

import java.util.List;

/**
 * Code that runs at EL0 inside {@link GuestCode#el0}: instructions, labels, BRK/SVC, loads and stores,
 * logging. The EL1 debug macros (OS Lock, MDSCR_EL1, comparators) are not here: they are EL1-only.
 */
public final class El0Code extends Code<El0Code> {
    El0Code(List<Item> items) {
        super(items, 0);
    }

    static El0Code empty() {
        return new El0Code(List.of());
    }

    @Override
    El0Code with(List<Item> items) {
        return new El0Code(items);
    }
}
