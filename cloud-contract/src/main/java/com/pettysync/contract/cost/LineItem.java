package com.pettysync.contract.cost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One line of a monthly cost estimate.
 *
 * @param name what is charged, e.g. {@code messaging}
 * @param quantity how many units
 * @param unit the unit, e.g. {@code messages (5 KB units)}
 * @param costUsd the charge, USD, unrounded
 */
public record LineItem(String name, long quantity, String unit, BigDecimal costUsd) {
    public LineItem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(costUsd, "costUsd");
    }
}
