package dev.debuglab.realkvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** ./debuglab realkvm: the comparison printed, the exit status, and one-line messages for bad input. */
class MainTest {
    record Result(int status, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void comparesScenariosSideBySide() {
        Result r = run("--kernel", "6.1", "KVM-BRK-OSLK", "KVM61-SWBP-OSLK");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("== KVM-BRK-OSLK"), r.out());
        assertTrue(r.out().contains("| real KVM 6.1."), r.out());
        assertTrue(r.out().contains("ESR 0xF2000042 (EC 0x3C)"), r.out());
        assertTrue(r.out().contains("KVM_EXIT_DEBUG hsr 0xF2000077"), r.out());
        assertTrue(r.out().contains("vs model v6.1: 2 scenarios, 2 agree"), r.out());
    }

    @Test
    void aWrongModelChoiceGivesStatusOne() {
        // the OWNER model for the MERGED 6.1 kernel: the guest's own breakpoint under USE_SW_BP differs (kvm.md §6.1a)
        Result r = run("--kernel", "6.1", "--model", "7.2", "--summary", "KVM-SWBP-GUESTBP");
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("KVM-SWBP-GUESTBP") && r.out().contains("DIFFER"), r.out());
    }

    @Test
    void badInputIsOneMessage() {
        Result unknown = run("--kernel", "6.1", "KVM-NO-SUCH");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("debuglab realkvm: unknown scenario 'KVM-NO-SUCH'; the scenarios are: KVM-RESET"), unknown.err());
        Result noKernel = run("--all");
        assertEquals(2, noKernel.status());
        assertTrue(noKernel.err().startsWith("debuglab realkvm: no kernel given"), noKernel.err());
        Result badPath = run("--kernel", "/nonexistent/Image", "--all");
        assertEquals(2, badPath.status());
        assertTrue(badPath.err().startsWith("debuglab realkvm: no kernel image at '/nonexistent/Image'"), badPath.err());
        Result badModel = run("--kernel", "6.1", "--model", "4.19", "--all");
        assertEquals(2, badModel.status());
        assertTrue(badModel.err().contains("is not modelled"), badModel.err());
        for (Result r : new Result[] {unknown, noKernel, badPath, badModel}) assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void listNamesEveryScenarioAndWhatCannotRun() {
        Result r = run("--list");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("KVM-RESET"), r.out());
        assertTrue(r.out().contains("Not run on real KVM:"), r.out());
        assertTrue(r.out().contains("KVMST-SS, and the 4 x 4 x 2 slot sweep of B.3"), r.out());
        assertTrue(r.out().contains("KVMST-USER-SS"), r.out());
    }
}
