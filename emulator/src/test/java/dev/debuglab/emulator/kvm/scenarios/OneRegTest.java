package dev.debuglab.emulator.kvm.scenarios;

import static dev.debuglab.emulator.kvm.scenarios.KvmHarness.expectErrno;
import static dev.debuglab.emulator.kvm.scenarios.Observations.family;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.emulator.kvm.Errno;
import dev.debuglab.emulator.kvm.KvmError;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.kvm.scenarios.Observations.Family;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * scenarios.md B.2, ONE_REG and the register list, per family (kvm.md §1.3, §3): PRE = "5.15",
 * V2 = "v2", MERGED = "5.18" and "6.1", OWNER = "6.14". Ids are written as the uapi numbers.
 */
class OneRegTest {
    /** 0x6030000000130000 | op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2. */
    static final long OSLAR_EL1 = 0x6030000000138084L, OSLSR_EL1 = 0x603000000013808CL, OSDLR_EL1 = 0x603000000013809CL,
            DBGPRCR_EL1 = 0x60300000001380A4L;
    static final long[] SET_VALUES = {0x0, 0x1, 0x2, 0x8, 0x9, 0xA, 0xB, 0xFFFF_FFFFL};

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_REGLIST_OSLSR(String v) {
        // Row KVM-REGLIST-OSLSR: KVM_GET_REG_LIST contains 0x603000000013808C from v5.18 and in the v2 patch, not before (§1.3 membership rule).
        KvmHarness h = KvmHarness.create(v);
        boolean listed = contains(h.regList(), OSLSR_EL1);
        assertEquals(family(v) != Family.PRE, listed, "[" + v + "] OSLSR_EL1 in KVM_GET_REG_LIST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_ONEREG_OSLSR(String v) {
        // Row KVM-ONEREG-OSLSR: SET OSLSR on fresh vCPUs — {0x8, 0xA} accepted, the rest -EINVAL and unchanged; PRE -ENOENT (INFERRED, kvm.md §8 item 1).
        for (long value : SET_VALUES) {
            KvmHarness h = KvmHarness.create(v);
            if (family(v) == Family.PRE) {
                expectErrno(Errno.ENOENT, () -> h.vcpu.setOneReg(OSLSR_EL1, value));
                continue;
            }
            long reset = family(v) == Family.V2 ? 0xA : 0x8; // kvm.md §3 reset values
            if (value == 0x8 || value == 0xA) {
                h.vcpu.setOneReg(OSLSR_EL1, value);
                assertEquals(value, h.vcpu.getOneReg(OSLSR_EL1), "[" + v + "] GET after SET 0x" + Long.toHexString(value));
            } else {
                KvmError e = expectErrno(Errno.EINVAL, () -> h.vcpu.setOneReg(OSLSR_EL1, value));
                assertTrue(e.getMessage().contains("OSLSR_EL1"), "the message names the register: " + e.getMessage());
                assertEquals(reset, h.vcpu.getOneReg(OSLSR_EL1), "[" + v + "] value unchanged after the rejected 0x" + Long.toHexString(value));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_ONEREG_WO(String v) {
        // Row KVM-ONEREG-WO: OSLAR_EL1, OSDLR_EL1, DBGPRCR_EL1 are trap-only (RAZ/WI handlers): GET and SET -ENOENT, not listed.
        KvmHarness h = KvmHarness.create(v);
        List<Long> list = h.regList();
        for (long id : new long[] {OSLAR_EL1, OSDLR_EL1, DBGPRCR_EL1}) {
            expectErrno(Errno.ENOENT, () -> h.vcpu.getOneReg(id));
            expectErrno(Errno.ENOENT, () -> h.vcpu.setOneReg(id, 1));
            assertFalse(list.contains(id), RegId.name(id) + " is not in KVM_GET_REG_LIST");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_REINIT(String v) {
        // Row KVM-REINIT: OSLSR = 0xA, then KVM_ARM_VCPU_INIT again resets it — V2 to 0xA, MERGED/OWNER to 0x8; PRE has no register ("–").
        KvmHarness h = KvmHarness.create(v);
        if (family(v) == Family.PRE) {
            expectErrno(Errno.ENOENT, () -> h.vcpu.setOneReg(OSLSR_EL1, 0xA));
            return;
        }
        h.vcpu.setOneReg(OSLSR_EL1, 0xA);
        h.vcpu.init();
        assertEquals(family(v) == Family.V2 ? 0xA : 0x8, h.vcpu.getOneReg(OSLSR_EL1), "[" + v + "] OSLSR after re-init");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.15", "v2", "5.18", "6.1", "6.14"})
    void KVM_GETREGLIST_SETSAME(String v) {
        // Row KVM-GETREGLIST-SETSAME: get-reg-list selftest — for each listed register, GET then SET the same value succeeds.
        KvmHarness h = KvmHarness.create(v);
        List<String> failures = new ArrayList<>();
        for (long id : h.regList()) {
            try {
                h.vcpu.setOneReg(id, h.vcpu.getOneReg(id));
            } catch (KvmError e) {
                failures.add(RegId.name(id) + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), failures, "[" + v + "] GET then SET of the same value");
    }

    static boolean contains(List<Long> list, long id) {
        return list.contains(id);
    }
}
