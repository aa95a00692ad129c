package dev.debuglab.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input: one message naming the problem and the fix, at the call that caused it, before anything runs. */
class BadInputTest {
    static String fails(Executable e) {
        DslException x = assertThrows(DslException.class, e);
        assertTrue(!x.getMessage().contains("\n") && !x.getMessage().contains("Exception"), "one line, no Java names: " + x.getMessage());
        return x.getMessage();
    }

    static void says(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "`" + p + "` in: " + message);
    }

    @Test
    void unknownMnemonicAtTheAsmCall() {
        says(fails(() -> Lab.guest().asm("frob x0, x1")), "guest line `frob x0, x1`", "unknown mnemonic `frob`");
    }

    @Test
    void outOfRangeImmediateInAnAsmLine() {
        says(fails(() -> Lab.guest().asm("add x0, x1, #5000")), "immediate 5000 does not fit", "use mov + add");
    }

    @Test
    void undefinedLabelAtBuildNamesTheGuestLine() {
        GuestCode g = Lab.guest().nop().asm("b nowhere");
        says(fails(g::build), "asm(\"b nowhere\")", "label `nowhere` is used but never defined", "label(\"nowhere\")");
    }

    @Test
    void breakpointAtAnUndefinedLabel() {
        GuestCode g = Lab.guest().hwBreakpoint(0).at("missing");
        says(fails(g::build), "hwBreakpoint(0).at(\"missing\")", "label `missing`");
    }

    @Test
    void brkHvcSvcImmediates() {
        says(fails(() -> Lab.guest().brk(0x10000)), "brk(0x10000)", "16 bits", "0..0xffff");
        says(fails(() -> Lab.guest().hvc(-1)), "hvc(", "16 bits");
        says(fails(() -> Lab.guest().svc(70000)), "svc(", "0..0xffff");
        says(fails(() -> Lab.guest().el0(c -> c.svc(0xFFFF))), "return to EL1");
    }

    @Test
    void breakpointAndWatchpointNumbersBeyondIdAa64dfr0() {
        says(fails(() -> Lab.guest().hwBreakpoint(6)), "hwBreakpoint(6)", "6 breakpoints", "ID_AA64DFR0_EL1.BRPs = 5", "use 0..5");
        says(fails(() -> Lab.guest().hwBreakpoint(-1)), "use 0..5");
        says(fails(() -> Lab.guest().watchpoint(4)), "watchpoint(4)", "4 watchpoints", "WRPs = 3", "use 0..3");
    }

    @Test
    void breakpointAndWatchpointOptions() {
        says(fails(() -> Lab.guest().hwBreakpoint(0).at("t").pmc(4)), "pmc(4)", "0..3");
        says(fails(() -> Lab.guest().hwBreakpoint(0).at("t").bas(16)), "bas(16)", "0..15");
        says(fails(() -> Lab.guest().hwBreakpoint(0).at("t").linkedTo(9)), "linkedTo(9)", "0..5");
        says(fails(() -> Lab.guest().hwBreakpoint(2).at("t").linkedTo(2)), "cannot link to itself");
        says(fails(() -> Lab.guest().watchpoint(0).on("d").length(12)), "length(12)", "power of two");
        says(fails(() -> Lab.guest().watchpoint(0).on("d").length(0)), "length(0)");
        says(fails(() -> Lab.guest().hwBreakpoint(0).at("1abc")), "not a label name");
    }

    @Test
    void registersTagsAndLabels() {
        says(fails(() -> Lab.guest().mov("x31", 1)), "mov(\"x31\")", "use x0..x30");
        says(fails(() -> Lab.guest().logValue(70000, "x1")), "log tag 70000", "0..65535");
        says(fails(() -> Lab.guest().logValue(1, "x16")), "scratch registers");
        says(fails(() -> Lab.guest().label("2bad")), "not a label name");
        says(fails(() -> Lab.guest().label("dl_mine")), "belong to the DSL");
        says(fails(() -> Lab.guest().asm("")), "empty guest line");
        says(fails(() -> Lab.guest().logSysreg(1, "nosuch_el1")), "guest line `mrs x16, nosuch_el1`");
    }

    @Test
    void duplicateLabel() {
        GuestCode g = Lab.guest().label("a").nop().label("a").nop();
        says(fails(g::build), "label `a` is defined twice");
    }

    @Test
    void vectorsWithoutTheVectorsLabelAndEl0WithOwnVectors() {
        says(fails(() -> Lab.guest().vectors("nop")), "`vectors:`", "standardVectors()");
        GuestCode g = Lab.guest().el0(c -> c.nop()).vectors(".balign 2048\nvectors:\n b .\n");
        says(fails(g::build), "el0(...)", "standardVectors()");
    }

    @Test
    void unknownVersionBudgetAndVmmRequests() {
        Guest g = Lab.guest().label("t").nop().build();
        says(fails(() -> g.kvm("4.19")), "kvm(\"4.19\")", "unknown KVM version", "6.1");
        says(fails(() -> g.bareMetal().budget(0)), "budget(0)", "positive");
        says(fails(() -> g.kvm("6.1").qemu().hwBreakpoint("nowhere")), "no label `nowhere`", "label(\"nowhere\")", "[t]");
        says(fails(() -> g.kvm("6.1").qemu().watchpoint("t", 4, "exec")), "\"write\", \"read\" or \"access\"");
        says(fails(() -> g.kvm("6.1").qemu().migrateTo("9.9")), "unknown KVM version");
        says(fails(() -> g.kvm("6.1").qemu().migrateTo("6.12").atLabel("nope")), "no label `nope`");
        says(fails(() -> g.kvm("6.1").kvmtool().migrateTo("6.12").afterInstructions(0)), "afterInstructions(0)", "positive");
        says(fails(() -> g.kvm("6.1").qemu().migrateTo("6.12").atLabel("t").migrateTo("6.14")), "one migration per run");
        says(fails(() -> g.kvm("6.1").override("", dev.debuglab.emulator.kvm.Step.HANDLE_OSLAR, (c, o) -> o.call())), "name the variant");
    }

    @Test
    void elfErrors() {
        says(fails(() -> Lab.elf(Path.of("/nonexistent/guest.elf"))), "elf(/nonexistent/guest.elf)");
        says(fails(() -> Lab.elf((String) null)), "elf(null)");
    }

    // Impossible combinations cannot even be said: bare metal has no userspace debug, no migration, no VMM policy, no
    // KVM override — completion offers only legal moves. The sweep, which takes strings, refuses them with a message.
    @Test
    void impossibleCombinationsAreNotLegalSteps() {
        List<String> bare = Arrays.stream(Stages.BareMetalStage.class.getMethods()).map(Method::getName).toList();
        for (String m : List.of("hwBreakpoint", "watchpoint", "singleStep", "swBreakpoint", "migrateTo", "policy", "override", "qemu", "gdb"))
            assertTrue(!bare.contains(m), "bare metal must not offer " + m);
        List<String> kvmtool = Arrays.stream(Stages.KvmtoolStage.class.getMethods()).map(Method::getName).toList();
        assertTrue(!kvmtool.contains("hwBreakpoint") && !kvmtool.contains("policy"), "kvmtool has no gdbstub");
        List<String> el0 = Arrays.stream(El0Code.class.getMethods()).map(Method::getName).toList();
        for (String m : List.of("osLock", "doubleLock", "kde", "mde", "hwBreakpoint", "watchpoint", "el0"))
            assertTrue(!el0.contains(m), "EL0 code must not offer " + m);
        says(fails(() -> Lab.sweep().versions("bare").guestDebug("hbreak").run()), "userspace debug", "bare metal has no VMM");
        says(fails(() -> Lab.sweep().guestDebug("watch")), "unknown request");
        says(fails(() -> Lab.sweep().oslk()), "oslk(", "one value or both");
        says(fails(() -> Lab.sweep().versions("3.0")), "unknown KVM version");
        says(fails(() -> Lab.sweep().parallelism(0)), "parallelism(0)");
        says(fails(() -> Lab.compare(Lab.guest().build().bareMetal())), "at least two");
        assertEquals(0, Lab.guest().build().armed().size());
    }
}
