package dev.debuglab.dsl.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.dsl.Lab;
import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.RoutingEvent;
import org.junit.jupiter.api.Test;

/**
 * A migration at a label: the VMM reaches the label with one-instruction KVM_RUNs (each a KVM_EXIT_INTR and a
 * re-entry). The swimlanes leave those out and say how many (notebook 5's pictures were mostly these arrows); the
 * HTML table keeps every event.
 */
class MigrationPictureTest {
    @Test
    void steppingToTheMigrationPointIsNotDrawn() {
        LabRun run = Lab.guest().osLock(false).nop().nop().label("m").brk(1).build()
                .kvm("5.15").qemu().migrateTo("6.1").atLabel("m").run();
        long stepping = run.events(RoutingEvent.ExitToVmm.class).stream()
                .filter(e -> e.exitName().equals("KVM_EXIT_INTR") && e.description().contains("budget of 1 ran out")).count();
        assertTrue(stepping > 0, "the run pauses at `m` by stepping: " + run);

        Story story = Story.of(run);
        assertEquals(stepping, story.hiddenSteps());
        assertFalse(story.steps().stream().anyMatch(s -> s.event() instanceof RoutingEvent.ExitToVmm x && x.exitName().equals("KVM_EXIT_INTR")));
        String svg = SvgRenderer.render(run);
        assertTrue(svg.contains(stepping + " one-instruction runs of the VMM to its stop point not drawn"), svg);
        assertFalse(svg.contains(">KVM_EXIT_INTR<"), "no arrow labelled KVM_EXIT_INTR");
        String html = HtmlRenderer.render(run);
        assertTrue(html.contains("KVM_EXIT_INTR"), "the table keeps them");
        assertTrue(html.contains("one-instruction runs of the VMM to its stop point not drawn"), "the page's picture says so");
        // The BRK after the migration is still in the picture (delivered at EL1 on 6.1: ESR 0xF2000001).
        assertTrue(svg.contains("0xF2000001"), svg);
    }
}
