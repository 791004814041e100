package com.pettysync.provisioning.factory;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.provisioning.ca.InvalidCsrException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A production line's run as a CSV file: a header row, then one collar per row.
 *
 * <pre>
 * serial,csr,group,hardwareRevision,batch,line,manufactured
 * 0001,csr/0001.csr,pettysync-fleet,C2,B42,L1,2026-12-01
 * 0002,generate,,C2,B42,L1,2026-12-01
 * </pre>
 *
 * {@code serial} (required) makes the thing {@code collar-<serial>}; {@code csr} is a CSR file (relative to the
 * CSV's directory) or {@code generate} (bench: the key is made here); {@code group} (optional, else the run's
 * default group); every other column is a thing attribute of that name (empty cells are left out). The whole file
 * (rows are numbered as lines: a cell must not span lines) is checked before any collar is provisioned — serials, duplicates, attributes, and every CSR (its signature, its
 * key type, its subject) — and every problem is reported with its row, so a bad file costs no AWS call.
 */
public final class CollarCsv {
    /** A checked row: the order and, for a CSR row, its already checked key material. */
    public record Row(int line, CollarOrder order, Optional<CollarKeys> csrKeys) {}

    /** Rows that failed their checks, all of them. */
    public static final class InvalidCsvException extends Exception {
        private final List<String> problems;

        InvalidCsvException(Path file, List<String> problems) {
            super(file + ": " + problems.size() + " problem(s): " + String.join("; ",
                    problems.subList(0, Math.min(problems.size(), 20))) + (problems.size() > 20 ? "; …" : ""));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    static final String SERIAL = "serial";
    static final String CSR = "csr";
    static final String GROUP = "group";
    static final String GENERATE = "generate";

    private CollarCsv() {}

    /** Reads and checks {@code file}; {@code defaultGroup} applies to rows without a group. */
    public static List<Row> read(Path file, Optional<String> defaultGroup, AttributeRules attributes)
            throws IOException, InvalidCsvException {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.TRIM_SPACES)
                .enable(CsvParser.Feature.SKIP_EMPTY_LINES).enable(CsvParser.Feature.FAIL_ON_MISSING_HEADER_COLUMNS);
        List<String> problems = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        Set<String> things = new HashSet<>();
        Path base = file.toAbsolutePath().getParent();
        try (Reader reader = Files.newBufferedReader(file);
                MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                        .with(CsvSchema.emptySchema().withHeader()).readValues(reader)) {
            int line = 1;
            while (it.hasNextValue()) {
                line++;
                Map<String, String> cells;
                try {
                    cells = it.nextValue();
                } catch (RuntimeException e) {
                    problems.add("line " + line + ": " + e.getMessage());
                    continue;
                }
                if (!cells.containsKey(SERIAL) || !cells.containsKey(CSR)) {
                    throw new InvalidCsvException(file, List.of("the header must name the columns \"serial\" and "
                            + "\"csr\" (then optionally \"group\" and attribute columns), got " + cells.keySet()));
                }
                Row row = row(line, cells, base, defaultGroup, attributes, problems, things);
                if (row != null) {
                    rows.add(row);
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            problems.add("not a CSV file: " + e.getOriginalMessage());
        }
        if (rows.isEmpty() && problems.isEmpty()) {
            problems.add("no collars: the file has a header but no rows");
        }
        if (!problems.isEmpty()) {
            throw new InvalidCsvException(file, problems);
        }
        return rows;
    }

    private static Row row(int line, Map<String, String> cells, Path base, Optional<String> defaultGroup,
            AttributeRules rules, List<String> problems, Set<String> things) {
        String where = "line " + line + ": ";
        ThingName thing;
        try {
            thing = rules.thingForSerial(cells.get(SERIAL));
        } catch (IllegalArgumentException e) {
            problems.add(where + e.getMessage());
            return null;
        }
        if (!things.add(thing.value())) {
            problems.add(where + "serial " + cells.get(SERIAL) + " appears twice");
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, String> c : cells.entrySet()) {
            if (!Set.of(SERIAL, CSR, GROUP).contains(c.getKey()) && c.getValue() != null && !c.getValue().isEmpty()) {
                attributes.put(c.getKey(), c.getValue());
            }
        }
        try {
            rules.check(attributes);
        } catch (IllegalArgumentException e) {
            problems.add(where + e.getMessage());
            return null;
        }
        String groupCell = cells.getOrDefault(GROUP, "");
        Optional<String> group = groupCell == null || groupCell.isEmpty() ? defaultGroup : Optional.of(groupCell);
        String csr = cells.get(CSR);
        if (csr == null || csr.isEmpty()) {
            problems.add(where + "csr is empty: give a CSR file or \"generate\"");
            return null;
        }
        if (csr.equals(GENERATE)) {
            return new Row(line, new CollarOrder(thing, new KeySource.Generated(), group, attributes),
                    Optional.empty());
        }
        Path csrFile = base.resolve(csr);
        try {
            CollarKeys keys = CollarKeys.fromCsrFile(csrFile, thing);
            return new Row(line, new CollarOrder(thing, new KeySource.CsrFile(csrFile), group, attributes),
                    Optional.of(keys));
        } catch (InvalidCsrException e) {
            problems.add(where + csrFile + ": " + e.getMessage());
        } catch (IOException e) {
            problems.add(where + "cannot read " + csrFile + ": " + e.getMessage());
        }
        return null;
    }
}
