package dev.debuglab.dsl.render;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Writes one page per kind of picture (run, comparison, sweep, HTML run) under the build folder's
 * {@code render-samples/}, for people to open and for the screenshots of docs/rendering.md
 * (headless Chromium; see that page).
 */
class SamplePagesTest {
    @Test
    void writesSamplePages() throws IOException {
        // Next to test-classes in this module's build folder (target-NAME/render-samples), unless asked elsewhere.
        Path dir;
        try {
            dir = Path.of(SamplePagesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().resolve("render-samples");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (System.getProperty("debuglab.samples") != null) dir = Path.of(System.getProperty("debuglab.samples"));
        Files.createDirectories(dir);
        write(dir.resolve("run-swimlanes.html"), HtmlRenderer.page("run", List.of(SvgRenderer.render(RenderFixtures.watchpointReinjected()))));
        write(dir.resolve("run-missing.html"), HtmlRenderer.page("run", List.of(SvgRenderer.render(RenderFixtures.brkConsumedV2()))));
        write(dir.resolve("bare-metal.html"), HtmlRenderer.page("bare metal", List.of(SvgRenderer.render(RenderFixtures.bareMetal()))));
        write(dir.resolve("comparison.html"), HtmlRenderer.page("comparison", List.of(SvgRenderer.render(RenderFixtures.comparison()))));
        write(dir.resolve("sweep.html"), HtmlRenderer.page("sweep", List.of(SvgRenderer.render(RenderFixtures.sweep()))));
        write(dir.resolve("run-html.html"), HtmlRenderer.page("run", List.of(HtmlRenderer.render(RenderFixtures.watchpointReinjected()))));
        write(dir.resolve("comparison-html.html"), HtmlRenderer.page("comparison", List.of(HtmlRenderer.render(RenderFixtures.comparison()))));
        write(dir.resolve("sweep-html.html"), HtmlRenderer.page("sweep", List.of(HtmlRenderer.render(RenderFixtures.sweep()))));
        write(dir.resolve("run.txt"), TextRenderer.render(RenderFixtures.watchpointReinjected()) + "\n\n" + TextRenderer.render(RenderFixtures.comparison())
                + "\n\n" + TextRenderer.render(RenderFixtures.sweep()));
        write(dir.resolve("run.json"), TraceJson.write(RenderFixtures.watchpointReinjected()));
        assertTrue(Files.size(dir.resolve("run-swimlanes.html")) > 1000);
    }

    private static void write(Path p, String s) throws IOException {
        Files.writeString(p, s);
    }
}
