package com.pettysync.simulator.cloud.registry;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items     the page, in the listing's order
 * @param nextToken where the next page starts (pass it back as the token/marker), or null when this was the last
 */
public record Page<T>(List<T> items, String nextToken) {
    public Page {
        items = List.copyOf(items);
    }
}
