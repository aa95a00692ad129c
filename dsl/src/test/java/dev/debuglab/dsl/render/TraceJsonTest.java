package dev.debuglab.dsl.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.dsl.Comparison;
import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.SweepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The JSON trace: round trip, the fields documented in docs/trace-schema.md, version checks, and the diff of two traces. */
class TraceJsonTest {

    static List<LabRun> runs() {
        return List.of(RenderFixtures.watchpointReinjected(), RenderFixtures.brkConsumedV2(), RenderFixtures.brkDelivered61(),
                RenderFixtures.bareMetal());
    }

    // Every field of the result model survives write → read (records compare by value).
    @Test
    void runsRoundTrip() {
        for (LabRun r : runs()) assertEquals(r, TraceJson.read(TraceJson.write(r)), TraceJson.write(r));
    }

    @Test
    void comparisonAndSweepRoundTrip() {
        Comparison c = RenderFixtures.comparison();
        assertEquals(c, TraceJson.readComparison(TraceJson.write(c)));
        SweepResult s = RenderFixtures.sweep();
        assertEquals(s, TraceJson.readSweep(TraceJson.write(s)));
    }

    // 64-bit values are hex strings (no JSON reader may round them): ESR of BRK #0x42 is EC 0x3C : IL 1 : imm16 0x42.
    @Test
    void registerValuesAreHexStrings() {
        String j = TraceJson.write(RenderFixtures.brkConsumedV2());
        assertTrue(j.contains("\"esr\": \"0xF2000042\""), j);
        assertTrue(j.contains("\"schemaVersion\": 1"), j);
        assertTrue(j.contains("\"ecName\": \"BRK\""), j);
    }

    /** The documented fields: path → type, from the tables of docs/trace-schema.md. */
    static Map<String, String> documented() throws IOException {
        Path doc = Path.of("../docs/trace-schema.md");
        if (!Files.exists(doc)) doc = Path.of("docs/trace-schema.md");
        Map<String, String> out = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| `([^`]+)` \\| ([^|]+?(?:\\\\\\|null)?) \\|");
        for (String line : Files.readAllLines(doc)) {
            Matcher m = row.matcher(line);
            if (m.find()) out.put(m.group(1), m.group(2).replace("\\|", "|").strip());
        }
        return out;
    }

    // Every field a trace holds is documented with its type, and every documented field occurs in the samples.
    @Test
    void outputMatchesTheDocumentedFields() throws IOException {
        Map<String, String> doc = documented();
        assertTrue(doc.size() > 60, "docs/trace-schema.md tables parsed: " + doc.keySet());
        Set<String> seen = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (LabRun r : runs()) walkTrace(Json.read(TraceJson.write(r)), doc, seen, problems, "");
        Map<?, ?> cmp = (Map<?, ?>) Json.read(TraceJson.write(RenderFixtures.comparison()));
        check("comparison.runs", cmp.get("runs"), doc, seen, problems);
        for (Object run : (List<?>) cmp.get("runs")) walkTrace(run, doc, seen, problems, "");
        Map<?, ?> sw = (Map<?, ?>) Json.read(TraceJson.write(RenderFixtures.sweep()));
        for (Map.Entry<?, ?> e : sw.entrySet())
            if (!e.getKey().equals("schema") && !e.getKey().equals("schemaVersion")) check("sweep." + e.getKey(), e.getValue(), doc, seen, problems);
        for (Object c : (List<?>) sw.get("cells"))
            for (Map.Entry<?, ?> e : ((Map<?, ?>) c).entrySet()) check("sweep.cells[]." + e.getKey(), e.getValue(), doc, seen, problems);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        Set<String> unseen = new LinkedHashSet<>(doc.keySet());
        unseen.removeAll(seen);
        assertTrue(unseen.isEmpty(), "documented but never written: " + unseen);
    }

    private static void walkTrace(Object root, Map<String, String> doc, Set<String> seen, List<String> problems, String p) {
        Map<?, ?> m = (Map<?, ?>) root;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = (String) e.getKey();
            check(k, e.getValue(), doc, seen, problems);
            Object v = e.getValue();
            switch (k) {
                case "config" -> ((Map<?, ?>) v).forEach((a, b) -> check("config." + a, b, doc, seen, problems));
                case "events" -> {
                    for (Object ev : (List<?>) v) {
                        Map<?, ?> em = (Map<?, ?>) ev;
                        String type = (String) em.get("type");
                        em.forEach((a, b) -> check(doc.containsKey("events[" + type + "]." + a) ? "events[" + type + "]." + a : "events[]." + a, b, doc,
                                seen, problems));
                    }
                }
                case "guestLog" -> entries(v, doc, seen, problems);
                case "registers" -> ((Map<?, ?>) v).forEach((a, b) -> {
                    if (!(b instanceof String s && s.matches("0x[0-9A-F]+"))) problems.add("registers." + a + " is not hex: " + b);
                });
                case "verdict" -> {
                    if (v == null) break;
                    Map<?, ?> vm = (Map<?, ?>) v;
                    vm.forEach((a, b) -> check("verdict." + a, b, doc, seen, problems));
                    entries(vm.get("underKvm"), doc, seen, problems);
                    entries(vm.get("bareMetal"), doc, seen, problems);
                    for (Object d : (List<?>) vm.get("differences")) {
                        ((Map<?, ?>) d).forEach((a, b) -> check("verdict.differences[]." + a, b, doc, seen, problems));
                        for (String side : List.of("expected", "actual")) if (((Map<?, ?>) d).get(side) != null) entries(List.of(((Map<?, ?>) d).get(side)), doc, seen, problems);
                    }
                }
                case "listing" -> {
                    if (v == null) break;
                    Map<?, ?> lm = (Map<?, ?>) v;
                    lm.forEach((a, b) -> check("listing." + a, b, doc, seen, problems));
                    for (Object line : (List<?>) lm.get("lines")) ((Map<?, ?>) line).forEach((a, b) -> check("listing.lines[]." + a, b, doc, seen, problems));
                    ((Map<?, ?>) lm.get("labels")).forEach((a, b) -> {
                        if (!(b instanceof String s && s.startsWith("0x"))) problems.add("listing.labels." + a + " is not hex: " + b);
                    });
                }
                default -> { }
            }
        }
    }

    private static void entries(Object list, Map<String, String> doc, Set<String> seen, List<String> problems) {
        for (Object o : (List<?>) list) {
            Map<?, ?> m = (Map<?, ?>) o;
            String type = (String) m.get("type");
            m.forEach((a, b) -> check(doc.containsKey("entry[" + type + "]." + a) ? "entry[" + type + "]." + a : "entry." + a, b, doc, seen, problems));
        }
    }

    private static void check(String path, Object value, Map<String, String> doc, Set<String> seen, List<String> problems) {
        String type = doc.get(path);
        if (type == null) {
            problems.add(path + " is written but not documented in docs/trace-schema.md");
            return;
        }
        seen.add(path);
        boolean nullable = type.endsWith("|null");
        String base = nullable ? type.substring(0, type.length() - 5) : type;
        if (value == null) {
            if (!nullable) problems.add(path + " is null but documented as " + type);
            return;
        }
        boolean ok = switch (base) {
            case "string" -> value instanceof String;
            case "integer" -> value instanceof Long;
            case "boolean" -> value instanceof Boolean;
            case "hex" -> value instanceof String s && s.matches("0x[0-9A-F]{1,16}");
            case "object" -> value instanceof Map;
            case "array of string" -> value instanceof List<?> l && l.stream().allMatch(x -> x instanceof String);
            case "array of object" -> value instanceof List<?> l && l.stream().allMatch(x -> x instanceof Map);
            default -> false;
        };
        if (!ok) problems.add(path + " = " + value + " is not a " + type);
    }

    // The same guest (BRK #0x42 under the OS Lock) on 6.1 and on the v2 patch: the diff shows where they part —
    // 6.1 delivers it at the guest's vector, v2 exits to EL2 and skips it, and only 6.1 is architectural.
    @Test
    void diffOfTwoTracesShowsWhereVersionsPart() {
        List<String> d = TraceJson.diff(TraceJson.write(RenderFixtures.brkDelivered61()), TraceJson.write(RenderFixtures.brkConsumedV2()));
        assertTrue(d.contains("$.config.version: \"6.1\" → \"v2\""), String.join("\n", d));
        assertTrue(d.contains("$.events[1].type: \"exception-taken\" → \"exit-to-el2\""), String.join("\n", d));
        assertTrue(d.contains("$.verdict.architectural: true → false"), String.join("\n", d));
        assertTrue(d.stream().anyMatch(l -> l.startsWith("$.verdict.differences[0]: (absent) → {")), String.join("\n", d));
        assertTrue(d.stream().noneMatch(l -> l.startsWith("$.listing")), "same guest, same listing: " + d);
        assertTrue(TraceJson.diff(TraceJson.write(RenderFixtures.brkConsumedV2()), TraceJson.write(RenderFixtures.brkConsumedV2())).isEmpty());
    }

    @Test
    void newerSchemaVersionIsRefusedWithBothVersions() {
        String j = TraceJson.write(RenderFixtures.brkDelivered61()).replace("\"schemaVersion\": 1", "\"schemaVersion\": 2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TraceJson.read(j));
        assertTrue(e.getMessage().contains("version 2") && e.getMessage().contains("1..1"), e.getMessage());
    }

    @Test
    void missingOrMistypedFieldsAreNamedByPath() {
        String j = TraceJson.write(RenderFixtures.brkDelivered61());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TraceJson.read(j.replaceFirst("\"esr\": \"0xF2000042\"", "\"esr\": 42")));
        assertTrue(e.getMessage().startsWith("$.events[1].esr must be a hex string"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TraceJson.read(j.replace("\"outcome\": \"SYSTEM_OFF\",", "")));
        assertEquals("$.outcome is missing (docs/trace-schema.md: every field is required; null where allowed)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TraceJson.readSweep(j));
        assertTrue(e.getMessage().contains("not \"debuglab.sweep\""), e.getMessage());
    }

    // Fields a reader does not know are ignored (the stability promise: versions only add fields).
    @Test
    void unknownFieldsAreIgnored() {
        LabRun r = RenderFixtures.watchpointReinjected();
        String j = TraceJson.write(r).replaceFirst("\"outcome\"", "\"addedLater\": [1, {\"x\": null}],\n  \"outcome\"");
        assertEquals(r, TraceJson.read(j));
    }

    @Test
    void jsonEscapesAndReportsSyntaxErrorsWithLineAndColumn() {
        String s = "quote \" backslash \\ newline \n tab \t <script> \u0001 é ≠";
        assertEquals(s, Json.read(Json.write(s)));
        assertFalse(Json.write(s).contains("<"), "'<' is escaped so a trace can sit in a <script> block");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.read("{\n  \"a\": [1, 2,, 3]\n}"));
        assertTrue(e.getMessage().startsWith("JSON line 2, column 14"), e.getMessage());
        assertEquals(List.of(-5L, 1.5, true, false), Json.read("[-5, 1.5, true, false]"));
    }
}
