package dev.debuglab.dsl.render;

import dev.debuglab.dsl.Comparison;
import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.SweepResult;
import dev.debuglab.emulator.verdict.Verdict;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The display registry: for each result type, a renderer per MIME type. The Jupyter kernel asks it for
 * a value's bundle ({@link #bundle}: MIME type → text), the CLI for one MIME type ({@link #render}).
 * A type without its own entry uses the nearest registered supertype (class chain first, then
 * interfaces); anything else shows as {@code text/plain} through {@code toString()}.
 *
 * <pre>{@code
 * Renderers r = Renderers.standard()
 *         .with(MyThing.class, Mime.HTML, t -> "<b>" + Markup.escape(t.name()) + "</b>");
 * Map<Mime, String> bundle = r.bundle(run);   // text/plain, text/html, image/svg+xml, application/json
 * }</pre>
 *
 * Immutable: {@link #with} returns a new registry.
 */
public final class Renderers {
    private record Entry(Class<?> type, Map<Mime, Renderer<Object>> byMime) {}

    private final List<Entry> entries;

    private Renderers(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No renderers: everything is text/plain through toString(). */
    public static Renderers empty() {
        return new Renderers(List.of());
    }

    private static final Renderers STANDARD = empty()
            .with(LabRun.class, Mime.TEXT, TextRenderer::render)
            .with(LabRun.class, Mime.HTML, HtmlRenderer::render)
            .with(LabRun.class, Mime.SVG, SvgRenderer::render)
            .with(LabRun.class, Mime.JSON, TraceJson::write)
            .with(Comparison.class, Mime.TEXT, TextRenderer::render)
            .with(Comparison.class, Mime.HTML, HtmlRenderer::render)
            .with(Comparison.class, Mime.SVG, SvgRenderer::render)
            .with(Comparison.class, Mime.JSON, TraceJson::write)
            .with(SweepResult.class, Mime.TEXT, TextRenderer::render)
            .with(SweepResult.class, Mime.HTML, HtmlRenderer::render)
            .with(SweepResult.class, Mime.SVG, SvgRenderer::render)
            .with(SweepResult.class, Mime.JSON, TraceJson::write)
            .with(Verdict.class, Mime.TEXT, TextRenderer::verdict)
            .with(Verdict.class, Mime.HTML, v -> "<div class=\"debuglab\">\n" + HtmlRenderer.STYLE + "<p>" + HtmlRenderer.verdictBadge(v)
                    + "</p>\n" + HtmlRenderer.verdict(v) + "</div>\n");

    /** Every DSL result: runs, comparisons, sweeps (all four MIME types) and verdicts (text, HTML). */
    public static Renderers standard() {
        return STANDARD;
    }

    /** A registry with {@code renderer} for {@code type} and {@code mime} added (replacing the same pair). */
    @SuppressWarnings("unchecked")
    public <T> Renderers with(Class<T> type, Mime mime, Renderer<? super T> renderer) {
        if (type == null || mime == null || renderer == null)
            throw new IllegalArgumentException("Renderers.with needs a type, a MIME type and a renderer; got "
                    + (type == null ? "no type" : mime == null ? "no MIME type" : "no renderer"));
        List<Entry> out = new ArrayList<>();
        boolean found = false;
        for (Entry e : entries) {
            if (e.type() == type) {
                Map<Mime, Renderer<Object>> m = new EnumMap<>(Mime.class);
                m.putAll(e.byMime());
                m.put(mime, (Renderer<Object>) renderer);
                out.add(new Entry(type, m));
                found = true;
            } else out.add(e);
        }
        if (!found) {
            Map<Mime, Renderer<Object>> m = new EnumMap<>(Mime.class);
            m.put(mime, (Renderer<Object>) renderer);
            out.add(new Entry(type, m));
        }
        return new Renderers(out);
    }

    private Optional<Entry> entryFor(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            Optional<Entry> e = exact(k);
            if (e.isPresent()) return e;
        }
        for (Class<?> k = c; k != null; k = k.getSuperclass())
            for (Class<?> i : k.getInterfaces()) {
                Optional<Entry> e = entryFor(i);
                if (e.isPresent()) return e;
            }
        return Optional.empty();
    }

    private Optional<Entry> exact(Class<?> c) {
        return entries.stream().filter(e -> e.type() == c).findFirst();
    }

    /** True if {@code type} (or a supertype) has a renderer of its own. */
    public boolean supports(Class<?> type) {
        return entryFor(type).isPresent();
    }

    /** The MIME types {@code value} renders to (text/plain always). */
    public List<Mime> mimes(Object value) {
        List<Mime> out = new ArrayList<>();
        out.add(Mime.TEXT);
        if (value != null) entryFor(value.getClass()).ifPresent(e -> e.byMime().keySet().stream().filter(m -> m != Mime.TEXT).forEach(out::add));
        return out;
    }

    /** {@code value} as {@code mime}, or empty when no renderer produces that type for it. text/plain is always there. */
    public Optional<String> render(Object value, Mime mime) {
        if (value == null) return mime == Mime.TEXT ? Optional.of("null") : Optional.empty();
        Optional<Entry> e = entryFor(value.getClass());
        Renderer<Object> r = e.map(x -> x.byMime().get(mime)).orElse(null);
        if (r != null) return Optional.of(r.render(value));
        return mime == Mime.TEXT ? Optional.of(String.valueOf(value)) : Optional.empty();
    }

    /** {@code value} as the MIME type named {@code mimeType} ("image/svg+xml"). */
    public Optional<String> render(Object value, String mimeType) {
        return render(value, Mime.of(mimeType));
    }

    /** Every rendering of {@code value}, text/plain first: the display_data bundle of a notebook cell. */
    public Map<Mime, String> bundle(Object value) {
        Map<Mime, String> out = new LinkedHashMap<>();
        for (Mime m : mimes(value)) render(value, m).ifPresent(s -> out.put(m, s));
        return out;
    }

    /** The bundle keyed by MIME type strings, as Jupyter's {@code data} field holds it. */
    public Map<String, String> bundleByType(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        bundle(value).forEach((k, v) -> out.put(k.type, v));
        return out;
    }
}
