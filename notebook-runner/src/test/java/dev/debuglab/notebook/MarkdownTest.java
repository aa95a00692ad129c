package dev.debuglab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Markdown the notebooks' prose uses, compared with the HTML CommonMark gives for the same input. */
class MarkdownTest {
    @Test
    void headingsParagraphsAndEmphasis() {
        assertEquals("<h2>Reset <code>OSLSR_EL1</code></h2>\n<p>one <strong>two</strong> <em>three</em> four</p>\n",
                Markdown.toHtml("## Reset `OSLSR_EL1`\n\none **two**\n*three* four\n"));
    }

    @Test
    void listsNumberedAndBulleted() {
        assertEquals("<ol>\n<li>first line continued</li>\n<li>second</li>\n</ol>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n",
                Markdown.toHtml("1. first line\n   continued\n2. second\n\n* a\n- b\n"));
    }

    @Test
    void tablesWithCodeContainingPipes() {
        String html = Markdown.toHtml("| # | OSLK | rule |\n|---|---|---|\n| 1 | **1** | `EC 0x3C | IL` |\n");
        assertEquals("<table>\n<thead><tr><th>#</th><th>OSLK</th><th>rule</th></tr></thead>\n<tbody>\n"
                + "<tr><td>1</td><td><strong>1</strong></td><td><code>EC 0x3C | IL</code></td></tr>\n</tbody>\n</table>\n", html);
    }

    @Test
    void fencedCodeIsEscapedAndKept() {
        assertEquals("<pre><code class=\"language-java\">a &lt; b &amp;&amp; c\n</code></pre>\n",
                Markdown.toHtml("```java\na < b && c\n```\n"));
    }

    @Test
    void linksAndUnsafeLinks() {
        assertEquals("<p><a href=\"docs/kvm-model.md\">model</a> and <a href=\"#\">bad</a></p>\n",
                Markdown.toHtml("[model](docs/kvm-model.md) and [bad](javascript:alert)"));
    }

    @Test
    void rawHtmlIsText() {
        assertTrue(Markdown.toHtml("<img src=x onerror=alert(1)>").contains("&lt;img src=x onerror=alert(1)&gt;"));
    }

    @Test
    void snakeCaseIsNotEmphasis() {
        assertEquals("<p>guest_debug and KVM_EXIT_DEBUG</p>\n", Markdown.toHtml("guest_debug and KVM_EXIT_DEBUG"));
    }
}
