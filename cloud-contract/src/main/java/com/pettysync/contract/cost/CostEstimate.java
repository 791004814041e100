package com.pettysync.contract.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A month's AWS IoT Core cost, by line item.
 *
 * @param items the line items, in a fixed order (connectivity, messaging, shadow, rules triggered, rule actions,
 *     jobs)
 * @param usage the metered usage priced
 * @param prices the prices used
 */
public record CostEstimate(List<LineItem> items, Usage usage, PriceTable prices) {
    public CostEstimate {
        items = List.copyOf(items);
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(prices, "prices");
    }

    /** Sum of the line items, USD, unrounded. */
    public BigDecimal totalUsd() {
        return items.stream().map(LineItem::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The line item called {@code name}. */
    public LineItem item(String name) {
        return items.stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no line item " + name));
    }

    /** A plain-text table: one line per item with quantity, unit and USD (cents), then the total. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (LineItem i : items) {
            sb.append(String.format(Locale.ROOT, "%-16s %,18d  %-34s %12s%n", i.name(), i.quantity(), i.unit(),
                    usd(i.costUsd())));
        }
        sb.append(String.format(Locale.ROOT, "%-16s %18s  %-34s %12s%n", "total", "", "", usd(totalUsd())));
        return sb.toString();
    }

    /** {@code $1,234.57}: USD rounded half-up to cents. */
    public static String usd(BigDecimal amount) {
        return String.format(Locale.ROOT, "$%,.2f", amount.setScale(2, RoundingMode.HALF_UP));
    }
}
