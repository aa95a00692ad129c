package dev.debuglab.emulator.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KVM_GET_REG_LIST, KVM_GET/SET_ONE_REG and KVM_ARM_VCPU_INIT per family, in the manner of the
 * get-reg-list selftest (kvm.md §1.3, §3; scenarios.md B.2). Expected values are the spec tables'.
 */
class OneRegAbiTest {
    static final long OSLSR = 0x603000000013808CL;
    static final long OSLAR = RegId.sys(2, 0, 1, 0, 4), OSDLR = RegId.sys(2, 0, 1, 3, 4), DBGPRCR = RegId.sys(2, 0, 1, 4, 4);
    static final long[] OSLSR_VALUES = {0x0, 0x1, 0x2, 0x8, 0x9, 0xA, 0xB, 0xFFFFFFFFL};

    static Vcpu fresh(String release) {
        Vcpu v = Kvm.createVm(KvmVersion.of(release), VmConfig.defaults().withRamSize(1 << 20)).createVcpu();
        v.init();
        return v;
    }

    static boolean listed(Vcpu v, long id) {
        return Arrays.stream(v.getRegList()).anyMatch(x -> x == id);
    }

    static Errno errno(Runnable r) {
        return assertThrows(KvmError.class, r::run).errno();
    }

    @Test
    void systemRegisterIdsFollowTheUapiEncoding() {
        // 0x6030000000130000 | op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2 (kvm.md §1.3).
        assertEquals(OSLSR, RegId.sys("OSLSR_EL1"));
        assertEquals(0x6030000000138012L, RegId.sys("MDSCR_EL1"));
        assertEquals(0x6030000000100000L, RegId.x(0));
        assertEquals(0x6030000000100040L, RegId.PC);
        assertEquals(0x6030000000100042L, RegId.PSTATE);
        assertEquals(0x6030000000100048L, RegId.spsr(0));
        assertEquals("OSLSR_EL1 (0x603000000013808C)", RegId.name(OSLSR));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "5.19", "6.1", "6.12", "6.14", "7.2"})
    void debugRegistersAreAlwaysListedAndOslsrFrom518(String release) {
        // KVM-REGLIST-OSLSR: PRE no; V2, MERGED, OWNER yes. 68 op0 = 2 registers with OSLSR_EL1 (observed 6.1/6.12).
        Vcpu v = fresh(release);
        boolean pre = v.version().family() == KvmVersion.Family.PRE;
        long[] list = v.getRegList();
        long op0is2 = Arrays.stream(list).filter(RegId::isSysReg).filter(id -> ((id >>> 14) & 3) == 2).count();
        assertEquals(pre ? 67 : 68, op0is2);
        assertEquals(!pre, listed(v, OSLSR));
        for (int n = 0; n < 16; n++)
            for (String k : List.of("DBGBVR", "DBGBCR", "DBGWVR", "DBGWCR")) assertTrue(listed(v, RegId.sys(k + n + "_EL1")), k + n);
        assertTrue(listed(v, RegId.sys("MDSCR_EL1")));
        assertTrue(listed(v, RegId.sys("MDCCINT_EL1")));
        assertTrue(listed(v, RegId.DBGVCR32_EL2));
        // KVM-ONEREG-WO: trap-only registers are never listed.
        assertFalse(listed(v, OSLAR));
        assertFalse(listed(v, OSDLR));
        assertFalse(listed(v, DBGPRCR));
        // Core registers come first: x0..x30, sp, pc, pstate, sp_el1, elr_el1, spsr[5].
        assertEquals(RegId.x(0), list[0]);
        assertEquals(RegId.PSTATE, list[33]);
        assertEquals(RegId.spsr(4), list[40]);
        // Sorted system register ids, no duplicates.
        long[] sys = Arrays.stream(list).filter(RegId::isSysReg).toArray();
        for (int i = 1; i < sys.length; i++) assertTrue(Long.compareUnsigned(sys[i - 1], sys[i]) < 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void trapOnlyRegistersGiveEnoent(String release) {
        // KVM-ONEREG-WO / KVM61-ONEREG-OSLAR: GET and SET of OSLAR, OSDLR, DBGPRCR -> -ENOENT.
        Vcpu v = fresh(release);
        for (long id : new long[]{OSLAR, OSDLR, DBGPRCR}) {
            assertEquals(Errno.ENOENT, errno(() -> v.getOneReg(id)), RegId.name(id));
            assertEquals(Errno.ENOENT, errno(() -> v.setOneReg(id, 1)), RegId.name(id));
        }
        KvmError e = assertThrows(KvmError.class, () -> v.setOneReg(OSLAR, 1));
        assertTrue(e.getMessage().contains("KVM_SET_ONE_REG") && e.getMessage().contains("OSLAR_EL1"), e.getMessage());
    }

    @Test
    void preHasNoOslsrForUserspace() {
        // KVM-RESET / KVM-ONEREG-OSLSR, PRE: GET and every SET -> -ENOENT (INFERRED from the membership rule).
        Vcpu v = fresh("5.15");
        assertEquals(Errno.ENOENT, errno(() -> v.getOneReg(OSLSR)));
        for (long val : OSLSR_VALUES) assertEquals(Errno.ENOENT, errno(() -> v.setOneReg(OSLSR, val)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "5.18", "6.1", "6.12", "6.14", "7.2"})
    void oslsrAcceptsOnly8AndA(String release) {
        // KVM-ONEREG-OSLSR: 0x8 and 0xA OK; the rest -EINVAL and the value stays at the reset value.
        long reset = release.equals("v2") ? 0xA : 0x8;
        for (long val : OSLSR_VALUES) {
            Vcpu v = fresh(release);
            assertEquals(reset, v.getOneReg(OSLSR));
            if (val == 0x8 || val == 0xA) {
                v.setOneReg(OSLSR, val);
                assertEquals(val, v.getOneReg(OSLSR));
            } else {
                KvmError e = assertThrows(KvmError.class, () -> v.setOneReg(OSLSR, val));
                assertEquals(Errno.EINVAL, e.errno());
                assertTrue(e.getMessage().contains("0x8 and 0xA"), e.getMessage());
                assertEquals(reset, v.getOneReg(OSLSR));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.18", "6.1", "6.14"})
    void reinitResetsOslsrTo8(String release) {
        // KVM-REINIT / KVM61-REINIT: OSLSR = 0xA, second KVM_ARM_VCPU_INIT -> 0x8.
        Vcpu v = fresh(release);
        v.setOneReg(OSLSR, 0xA);
        v.init();
        assertEquals(0x8, v.getOneReg(OSLSR));
    }

    @Test
    void v2ReinitResetsOslsrToA() {
        // KVM-REINIT, V2: the patch resets OSLK to 1.
        Vcpu v = fresh("v2");
        v.setOneReg(OSLSR, 0x8);
        v.init();
        assertEquals(0xA, v.getOneReg(OSLSR));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "6.1", "6.14"})
    void initResetsCoreAndDebugState(String release) {
        // KVM61-RESET: PSTATE 0x3C5 (DAIF 0x3C0, EL1h), MDSCR_EL1 0; re-init resets again.
        Vcpu v = fresh(release);
        assertEquals(0x3C5, v.getOneReg(RegId.PSTATE));
        assertEquals(0, v.getOneReg(RegId.sys("MDSCR_EL1")));
        v.setOneReg(RegId.x(5), 0x1234);
        v.setOneReg(RegId.PC, 0x4000_1000L);
        v.setOneReg(RegId.sys("MDSCR_EL1"), 0xA000);
        v.setOneReg(RegId.sys("DBGBCR0_EL1"), 0x1E7);
        v.setOneReg(RegId.PSTATE, 0x3C4);
        assertEquals(0x1234, v.getOneReg(RegId.x(5)));
        assertEquals(0x4000_1000L, v.getOneReg(RegId.PC));
        assertEquals(0xA000, v.getOneReg(RegId.sys("MDSCR_EL1")));
        assertEquals(0x1E7, v.getOneReg(RegId.sys("DBGBCR0_EL1")));
        assertEquals(0x3C4, v.getOneReg(RegId.PSTATE));
        v.init();
        assertEquals(0, v.getOneReg(RegId.x(5)));
        assertEquals(0, v.getOneReg(RegId.PC));
        assertEquals(0x3C5, v.getOneReg(RegId.PSTATE));
        assertEquals(0, v.getOneReg(RegId.sys("MDSCR_EL1")));
        assertEquals(0, v.getOneReg(RegId.sys("DBGBCR0_EL1")));
    }

    @Test
    void el1RegistersReadAndWriteThePe() {
        Vcpu v = fresh("6.1");
        v.setOneReg(RegId.sys("VBAR_EL1"), 0x4000_0800L);
        v.setOneReg(RegId.sys("ESR_EL1"), 0xF2000042L);
        v.setOneReg(RegId.ELR_EL1, 0x4000_0010L);
        v.setOneReg(RegId.spsr(0), 0x3C5);
        assertEquals(0x4000_0800L, v.cpu().sys.vbar[1]);
        assertEquals(0xF2000042L, v.cpu().sys.esr[1]);
        assertEquals(0x4000_0010L, v.cpu().sys.elr[1]);
        assertEquals(0x3C5, v.cpu().sys.spsr[1]);
        assertEquals(0x4000_0800L, v.getOneReg(RegId.sys("VBAR_EL1")));
        assertEquals(0x00C50078L, v.getOneReg(RegId.sys("SCTLR_EL1")));
    }

    @Test
    void badCoreValuesAndUnknownIdsAreRejected() {
        Vcpu v = fresh("6.1");
        // set_core_reg: only AArch64 EL0t/EL1t/EL1h modes.
        KvmError e = assertThrows(KvmError.class, () -> v.setOneReg(RegId.PSTATE, 0x3C9));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("PSTATE"), e.getMessage());
        assertEquals(Errno.EINVAL, errno(() -> v.setOneReg(RegId.PSTATE, 0x10)));
        assertEquals(0x3C5, v.getOneReg(RegId.PSTATE));
        // An id that is neither core nor sysreg, and an unlisted sysreg.
        assertEquals(Errno.ENOENT, errno(() -> v.getOneReg(0x6030000000990000L)));
        assertEquals(Errno.ENOENT, errno(() -> v.getOneReg(RegId.sys(3, 4, 1, 1, 0))));   // HCR_EL2
        // Invariant registers accept only their value.
        long midr = v.getOneReg(RegId.sys("MIDR_EL1"));
        v.setOneReg(RegId.sys("MIDR_EL1"), midr);
        assertEquals(Errno.EINVAL, errno(() -> v.setOneReg(RegId.sys("MIDR_EL1"), midr + 1)));
    }

    @Test
    void ioctlsBeforeInitGiveEnoexec() {
        Vcpu v = Kvm.createVm(KvmVersion.of("6.1"), VmConfig.defaults().withRamSize(1 << 20)).createVcpu();
        assertEquals(Errno.ENOEXEC, errno(() -> v.getOneReg(RegId.PC)));
        assertEquals(Errno.ENOEXEC, errno(v::getRegList));
        KvmError e = assertThrows(KvmError.class, v::run);
        assertEquals(Errno.ENOEXEC, e.errno());
        assertTrue(e.getMessage().contains("init()"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.12", "6.14", "7.2"})
    void getThenSetTheSameValueWorksForEveryListedRegister(String release) {
        // KVM-GETREGLIST-SETSAME: the get-reg-list selftest's set-same pass.
        Vcpu v = fresh(release);
        for (long id : v.getRegList()) v.setOneReg(id, v.getOneReg(id));
        assertEquals(0x3C5, v.getOneReg(RegId.PSTATE));
    }
}
