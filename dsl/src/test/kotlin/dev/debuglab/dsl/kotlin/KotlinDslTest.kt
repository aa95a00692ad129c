package dev.debuglab.dsl.kotlin

import dev.debuglab.dsl.DebugLabAssertions
import dev.debuglab.dsl.DslException
import dev.debuglab.dsl.Lab
import dev.debuglab.dsl.LabRun
import dev.debuglab.dsl.Sweep
import dev.debuglab.emulator.kvm.KvmVersion
import dev.debuglab.emulator.kvm.Step
import dev.debuglab.emulator.kvm.SysRegResult
import dev.debuglab.emulator.vmm.QemuPolicy
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The Kotlin DSL gives the same runs as the Java API for the same sentence, and the outcomes are the architecture's
 * (Arm ARM D2: the OS Lock masks breakpoint/watchpoint/step exceptions, never BRK) or the KVM version's documented
 * behaviour (../shared/spec/kvm.md: before 5.18 the OS Lock is RAZ/WI).
 */
class KotlinDslTest {
    private val brkUnderLock = guest { el1 { osLock(true); brk(0x42) } }

    /** The observable part of a run: where each exception went, with its syndrome, and the outcome. */
    private fun story(r: LabRun) = Triple(r.guestExceptions().map { listOf(it.esr(), it.elr(), it.far()) }, r.outcome(), r.architectural())

    @Test
    fun `the issue's one-liner - BRK under the OS Lock is taken at the guest's EL1 vector on 6_1`() {
        // BRK is generated whatever OSLK, KDE and PSTATE.D say: EC 0x3C, ISS = the comment.
        val run = lab { kvm(V6_1); guest { el1 { osLock(true); brk(0x42) } } }.run()
        DebugLabAssertions.assertThat(run).tookAt(EL1).withEc(0x3C).withEsr(0xF2000042L)
        val java = Lab.guest().osLock(true).brk(0x42).build().kvm("6.1").qemu().run()
        assertEquals(story(java), story(run))
        assertEquals(java.config(), run.config())
    }

    @Test
    fun `a hardware breakpoint under the OS Lock - masked on bare metal and 6_1, taken on 5_15 (RAZ WI)`() {
        val g = guest {
            el1 {
                mde(true); kde(true); clearD()
                hwBreakpoint(0, at = "target")
                osLock(true)
                label("target"); nop()
                brk(0x42)
            }
        }
        val c = compare { guest(g); bareMetal(); kvm(V5_15); kvm(V6_1) }
        // Bare metal: OSLK = 1 masks the breakpoint; only the BRK (EC 0x3C) reaches the guest.
        c.run(0).expect { tookAt(EL1) { withEc(0x3C) }; isArchitectural() }
        assertEquals(1, c.run(0).guestExceptions().size)
        // 5.15: the OS Lock write is ignored, the breakpoint fires at `target` (EC 0x31, same EL), then the BRK.
        c.run(1).expect { tookAt(EL1) { withEc(0x31); atLabel("target") }; isNotArchitectural() }
        // 6.1 emulates the OS Lock: as on hardware.
        c.run(2).expect { isArchitectural() }
        assertTrue(c.differs())

        val java = Lab.guest().mde(true).kde(true).clearD().hwBreakpoint(0).at("target").osLock(true)
            .label("target").nop().brk(0x42).build()
        val jc = Lab.compare(java.bareMetal(), java.kvm("5.15").qemu(), java.kvm("6.1").qemu())
        for (i in 0..2) assertEquals(story(jc.run(i)), story(c.run(i)), "run $i")
    }

    @Test
    fun `EL0 code, breakpoint and watchpoint options forward to the Java builder`() {
        // Cold reset leaves OSLSR_EL1.OSLK = 1 on hardware (Arm ARM D2.5), so unlock first.
        val k = guest {
            el1 {
                osLock(false); mde(true); kde(true); clearD()
                hwBreakpoint(1, at = "user") { pmc(0b10) }
                watchpoint(0, on = "cell") { length(8); store() }
                el0 { label("user"); nop(); mov("x1", 7); store("x1", "cell"); svc(1) }
                logSysreg(1, "oslsr_el1")
                data("cell", 0)
            }
        }
        val j = Lab.guest().osLock(false).mde(true).kde(true).clearD()
            .hwBreakpoint(1).at("user").pmc(0b10)
            .watchpoint(0).on("cell").length(8).store()
            .el0 { c -> c.label("user").nop().mov("x1", 7).store("x1", "cell").svc(1) }
            .logSysreg(1, "oslsr_el1")
            .data("cell", 0)
            .build()
        assertEquals(j.listing(), k.listing())
        assertEquals(story(j.bareMetal().run()), story(k.bareMetal().run()))
        // The EL0 breakpoint (PMC = 0b10: EL0 only) is taken from EL0 to EL1: EC 0x30 (lower EL).
        lab { guest(k); bareMetal() }.run().expect { tookAt(EL1) { withEc(0x30); atLabel("user") } }
    }

    @Test
    fun `userspace debug under QEMU - a hardware breakpoint request exits to the VMM`() {
        val g = guest { el1 { label("target"); nop(); brk(1) } }
        val run = lab { guest(g); kvm(V6_1) { qemu { hwBreakpoint("target") } } }.run()
        val java = g.kvm("6.1").qemu().hwBreakpoint("target").run()
        assertEquals(story(java), story(run))
        assertEquals(java.config(), run.config())
        run.expect { tookAt(VMM) { atLabel("target") } }
    }

    @Test
    fun `migration, kvmtool, bare-metal TDE and budgets are the Java stages`() {
        val g = guest { el1 { nop(); label("mid"); nop(); brk(3) } }
        val m = lab { guest(g); kvm(V6_1) { qemu { migrateTo(V6_12).atLabel("mid") } } }
        assertEquals(g.kvm("6.1").qemu().migrateTo("6.12").atLabel("mid").config(), m.config())
        val t = lab { guest(g); kvm(V5_15) { kvmtool(debugSingleStep = false) { budget(5000) } } }
        assertEquals(g.kvm("5.15").kvmtool(false).budget(5000).config(), t.config())
        val b = lab { guest(g); bareMetal { tde(true) } }
        assertEquals(g.bareMetal().tde(true).config(), b.config())
        assertEquals(story(g.kvm("6.1").qemu().migrateTo("6.12").atLabel("mid").run()), story(m.run()))
    }

    @Test
    fun `a KVM step override is a lambda - 6_1 with OSLAR_EL1 as RAZ WI behaves as 5_15 and names the variant`() {
        val g = guest {
            el1 {
                mde(true); kde(true); clearD()
                hwBreakpoint(0, at = "target")
                osLock(true)
                label("target"); nop()
                brk(0x42)
            }
        }
        val whatIf = lab {
            guest(g)
            kvm(V6_1) { override("6.1, OSLAR RAZ/WI", Step.HANDLE_OSLAR) { _, _ -> SysRegResult.razWi("what-if: ignore the lock") } }
        }.run()
        // The lock write is lost, so the breakpoint fires as on 5.15: EC 0x31 at `target`.
        whatIf.expect { tookAt(EL1) { withEc(0x31); atLabel("target") }; isNotArchitectural() }
        assertTrue(whatIf.toString().contains("6.1, OSLAR RAZ/WI"), whatIf.toString())
        val java = g.kvm("6.1").override("6.1, OSLAR RAZ/WI", Step.HANDLE_OSLAR) { _, _ -> SysRegResult.razWi("what-if: ignore the lock") }.qemu().run()
        assertEquals(story(java), story(whatIf))
    }

    @Test
    fun `a QEMU policy override is a lambda and names the variant`() {
        val g = guest { el1 { label("target"); nop(); brk(1) } }
        val spec = lab {
            guest(g)
            kvm(V6_1) { qemu { hwBreakpoint("target"); policy("QEMU, never inject", QemuPolicy.SHOULD_INJECT) { _, _ -> QemuPolicy.Decision.drop("what-if") } } }
        }
        val java = g.kvm("6.1").qemu().hwBreakpoint("target").policy("QEMU, never inject", QemuPolicy.SHOULD_INJECT) { _, _ -> QemuPolicy.Decision.drop("what-if") }
        assertEquals(java.config(), spec.config())
        assertEquals(story(java.run()), story(spec.run()))
    }

    @Test
    fun `sweep forwards every axis`() {
        var last = 0
        val k = sweep { oslk(false, true); kde(true); versions("bare", V6_1); events(Sweep.Event.BRK); parallelism(1); onProgress { d, _ -> last = d } }
        val j = Lab.sweep().oslk(false, true).kde(true).versions("bare", "6.1").events(Sweep.Event.BRK).parallelism(1)
        assertEquals(j.size(), k.size())
        val r = k.run()
        assertEquals(k.size(), last)
        // BRK is never masked: every cell matches the architecture on 6.1.
        assertTrue(r.differences().isEmpty(), r.toString())
    }

    @Test
    fun `bad input gets the Java API's message at the call`() {
        val e = assertThrows<DslException> { guest { el1 { hwBreakpoint(6, at = "x") } } }
        assertTrue(e.message!!.contains("hwBreakpoint(6)"), e.message)
        val v = assertThrows<DslException> { lab { guest { el1 { brk(1) } }; kvm("4.19") } }
        assertTrue(v.message!!.contains("unknown KVM version"), v.message)
        val twice = assertThrows<DslException> { lab { guest { el1 { brk(1) } }; bareMetal(); kvm(V6_1) } }
        assertTrue(twice.message!!.contains("one place per lab"), twice.message)
        val noGuest = assertThrows<DslException> { lab { kvm(V6_1) } }
        assertTrue(noGuest.message!!.contains("no guest"), noGuest.message)
    }

    // A what-if variant as a sweep column: 6.1 with OSLAR_EL1 ignored delivers the breakpoint armed under the lock,
    // which the architecture (OSLK = 1 disables breakpoints) does not; plain 6.1 agrees with the architecture.
    @Test
    fun `sweep over a variant`() {
        val ignored = KvmVersion.of(V6_1).variant("6.1, OSLAR ignored").override(Step.HANDLE_OSLAR) { _, _ -> SysRegResult.razWi("what-if") }
        val k = sweep { oslk(true); events(Sweep.Event.HW_BREAKPOINT); versions(KvmVersion.of(V6_1), ignored); withBareMetal(); parallelism(1) }
        val r = k.run()
        assertEquals(listOf("bare", "v6.1", "6.1, OSLAR ignored"), r.cells().map { it.get("version") })
        assertEquals(listOf("6.1, OSLAR ignored"), r.differences().map { it.get("version") })
        assertEquals("0x31@EL1", r.differences()[0].outcome())
    }
}
