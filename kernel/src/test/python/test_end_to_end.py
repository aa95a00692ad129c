"""End-to-end tests of the DebugLab kernel through jupyter_client, as a notebook front end drives it.

ProtocolChecks holds what any good kernel must do (execute, errors, streaming, interrupt, restart,
signatures, malformed input, stop_on_error, loopback binding); it runs against the DebugLab Java
kernelspec and, with DEBUGLAB_E2E_BASELINE=1, also against Debian's IPython kernel to show that the
checks are ones a reference kernel passes.  DebugLabChecks holds what only the DebugLab kernel does
(DSL displays, %%kotlin, sweeps' live progress).
"""
import json
import os
import time
import unittest
import xml.etree.ElementTree as ET

import harness
from harness import TIMEOUT, execute, strip_ansi
from samples import JavaSamples, KotlinSamples, PythonSamples


class KernelFixture:
    """One kernel per test class (a start costs about a second)."""
    samples = None

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = harness.start(cls.samples.kernel_name)

    @classmethod
    def tearDownClass(cls):
        harness.stop(cls.km, cls.kc)

    def setUp(self):
        harness.drain(self.kc, 0.1)

    def assert_alive(self):
        code, text = self.samples.one_plus_one
        r = execute(self.kc, code, timeout=30)
        self.assertEqual(r.content["status"], "ok", r.content)
        self.assertEqual(r.text(), text)


class ProtocolChecks(KernelFixture):

    def test_execute_result_and_counter(self):
        code, text = self.samples.one_plus_one
        r1 = execute(self.kc, code)
        r2 = execute(self.kc, code)
        self.assertEqual(r1.content["status"], "ok")
        self.assertEqual(r1.text(), text)
        self.assertEqual(r2.content["execution_count"], r1.content["execution_count"] + 1)
        result = r1.of_type("execute_result")[0]["content"]
        self.assertEqual(result["execution_count"], r1.content["execution_count"])
        types = [m["msg_type"] for m in r1.iopub]
        self.assertEqual(types[0], "status")
        self.assertEqual(types[1], "execute_input")
        self.assertEqual(r1.iopub[1]["content"]["code"], code)
        self.assertEqual(types[-1], "status")

    def test_silent_execution_publishes_nothing_and_keeps_the_counter(self):
        code, _ = self.samples.one_plus_one
        before = execute(self.kc, code).content["execution_count"]
        silent = execute(self.kc, code, silent=True)
        self.assertEqual(silent.content["status"], "ok")
        self.assertEqual([m["msg_type"] for m in silent.iopub if m["msg_type"] != "status"], [])
        after = execute(self.kc, code).content["execution_count"]
        self.assertEqual(after, before + 1)

    def test_state_persists_between_cells(self):
        self.assertEqual(execute(self.kc, self.samples.define_x).content["status"], "ok")
        code, text = self.samples.read_x
        self.assertEqual(execute(self.kc, code).text(), text)

    def test_error_cell(self):
        r = execute(self.kc, self.samples.error_cell)
        self.assertEqual(r.content["status"], "error")
        err = r.error()
        for key in ("ename", "evalue", "traceback"):
            self.assertEqual(err[key], r.content[key], key)
        self.assertTrue(err["ename"].endswith(self.samples.error_ename), err["ename"])
        self.assertIn("boom", err["evalue"])
        tb = strip_ansi("\n".join(err["traceback"]))
        self.assertRegex(tb, r"(?i)(line\s*%d\b|:%d\b)" % (self.samples.error_line, self.samples.error_line),
                         "the traceback names the cell's line %d:\n%s" % (self.samples.error_line, tb))
        self.assertNotIn(self.samples.internal_frames, tb)

    def test_a_cell_sent_right_after_an_error_runs(self):
        # stop_on_error aborts what was queued when the error happened, not what a client sends once the
        # error is reported and the kernel is idle (nbclient does this after a cell tagged raises-exception).
        # Debian's IPython kernel runs it every time (15 of 15 tried).
        for _ in range(5):
            r = execute(self.kc, self.samples.error_cell)
            self.assertEqual(r.content["status"], "error")
            self.assert_alive()

    def test_stdout_is_streamed_while_the_cell_runs(self):
        r = execute(self.kc, self.samples.print_sleep_print)
        self.assertEqual(r.content["status"], "ok", r.content)
        streams = [(t, m) for t, m in zip(r.arrivals, r.iopub) if m["msg_type"] == "stream"]
        self.assertIn("first", streams[0][1]["content"]["text"])
        self.assertIn("second", r.stdout())
        idle_at = r.arrivals[-1]
        # the cell sleeps 3 s between its two prints: "first" must be on the wire well before the end
        self.assertLess(streams[0][0], idle_at - 1.5,
                        "first stream message %.2f s before idle" % (idle_at - streams[0][0]))

    def test_interrupt_stops_an_endless_loop(self):
        msg_id = self.kc.execute(self.samples.endless_loop)
        self.wait_busy(msg_id)
        time.sleep(0.5)
        t0 = time.monotonic()
        reply = self.interrupt()
        r = harness.collect(self.kc, msg_id, timeout=20)
        stopped_after = time.monotonic() - t0
        self.assertLess(stopped_after, 5.0, "the cell stopped %.1f s after the interrupt" % stopped_after)
        if reply is not None:
            self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertEqual(r.content["status"], "error", r.content)
        self.assertEqual(len(r.of_type("error")), 1, r.iopub)
        self.assert_alive()

    def test_interrupt_as_soon_as_the_cell_starts(self):
        # the user presses stop at once: the cell may still be compiling; afterwards output streams as before
        # (sooner than this, IPython too can lose a SIGINT that lands before the cell's code runs)
        for delay in (0.2, 0.5):
            msg_id = self.kc.execute(self.samples.endless_loop)
            self.wait_busy(msg_id)
            time.sleep(delay)
            reply = self.interrupt()
            if reply is not None:
                self.assertEqual(reply["content"]["status"], "ok", reply["content"])
            r = harness.collect(self.kc, msg_id, timeout=20)
            self.assertEqual(r.content["status"], "error", r.content)
        r = execute(self.kc, self.samples.print_sleep_print)
        first = next(t for t, m in zip(r.arrivals, r.iopub) if m["msg_type"] == "stream")
        self.assertLess(first, r.arrivals[-1] - 1.5, "output is no longer streamed after an early interrupt")

    def wait_busy(self, msg_id):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
                return
        self.fail("the cell never started")

    def interrupt(self):
        """Interrupts as the kernelspec asks: an interrupt_request on control (returns the reply) or SIGINT."""
        if self.km.kernel_spec.interrupt_mode == "message":
            return harness.control_request(self.kc, "interrupt_request", {}, timeout=10)
        self.km.interrupt_kernel()
        return None

    def test_exit_in_a_cell_does_not_kill_the_kernel(self):
        pid = harness.kernel_pid(self.km)
        r = execute(self.kc, self.samples.exit_cell)
        self.assertIn(r.content["status"], ("ok", "error"))
        self.assertTrue(self.km.is_alive())
        self.assertEqual(harness.kernel_pid(self.km), pid)
        self.assert_alive()

    def test_stop_on_error_aborts_the_queued_cell(self):
        first = self.kc.execute(self.samples.slow_failing_cell, stop_on_error=True)
        queued = self.kc.execute(self.samples.queued_cell)
        r1 = harness.collect(self.kc, first)
        r2 = harness.collect(self.kc, queued)
        self.assertEqual(r1.content["status"], "error")
        # protocol 5.1 deprecated "aborted" in favour of "error"; either way the cell must not run
        self.assertIn(r2.content["status"], ("aborted", "error"), r2.content)
        self.assertNotIn("queued cell ran", r2.stdout())
        check = execute(self.kc, self.samples.read_after)
        self.assertEqual(check.content["status"], "error", "the aborted cell's variable exists: %r" % check.content)

    def test_forged_signature_is_ignored(self):
        raw = harness.RawSocket(self.km)
        try:
            forged = raw.send("execute_request", {"code": self.samples.define_forged, "silent": False,
                                                  "store_history": True, "user_expressions": {},
                                                  "allow_stdin": False, "stop_on_error": True},
                              signature=b"0" * 64)
            info = raw.send("kernel_info_request", {}, signature=b"f" * 64)
            self.assertIsNone(raw.reply_to(forged, 2.0), "the kernel answered a forged execute_request")
            self.assertIsNone(raw.reply_to(info, 0.5), "the kernel answered a forged kernel_info_request")
            # a correctly signed request on the same socket is answered
            good = raw.send("kernel_info_request", {})
            reply = raw.reply_to(good, 20)
            self.assertIsNotNone(reply, "no reply to a correctly signed request")
            self.assertEqual(reply["header"]["msg_type"], "kernel_info_reply")
            self.assertEqual(reply["signature"], harness.sign(raw.key, reply["parts"]), "the reply's own signature")
        finally:
            raw.close()
        self.assert_no_iopub_for(forged)
        check = execute(self.kc, self.samples.read_forged)
        self.assertEqual(check.content["status"], "error", "the forged cell ran: %r" % check.content)

    def test_unsigned_message_is_ignored(self):
        raw = harness.RawSocket(self.km)
        try:
            unsigned = raw.send("execute_request", {"code": self.samples.define_forged, "silent": False,
                                                    "store_history": True, "user_expressions": {},
                                                    "allow_stdin": False, "stop_on_error": True},
                                signature=b"")
            self.assertIsNone(raw.reply_to(unsigned, 2.0), "the kernel answered an unsigned request")
        finally:
            raw.close()
        self.assert_no_iopub_for(unsigned)
        check = execute(self.kc, self.samples.read_forged)
        self.assertEqual(check.content["status"], "error", "the unsigned cell ran: %r" % check.content)

    def assert_no_iopub_for(self, msg_id):
        while True:
            try:
                m = self.kc.get_iopub_msg(timeout=0.3)
            except Exception:
                return
            self.assertNotEqual(m["parent_header"].get("msg_id"), msg_id, "IOPub message for a dropped request: %r" % m)

    def test_malformed_messages_do_not_kill_the_kernel(self):
        raw = harness.RawSocket(self.km)
        try:
            raw.send_frames([b"garbage"])
            raw.send_frames([b"<IDS|MSG>"])
            raw.send_frames([b"<IDS|MSG>", b"abc", b"{", b"}"])
            raw.send_frames([b"\xff\xfe\x00", b"<IDS|MSG>", b"", b"", b"", b"", b""])
            # correctly signed, but not JSON / not an object / unknown type
            for parts in ([b"not json", b"{}", b"{}", b"{}"],
                          [b"[1, 2]", b"{}", b"{}", b"{}"],
                          [b'{"msg_id": "x"}', b"{}", b"{}", b"{}"]):
                raw.send_frames([b"<IDS|MSG>", harness.sign(raw.key, parts)] + parts)
            unknown = raw.send("no_such_request", {})
            raw.reply_to(unknown, 1.0)   # a kernel may answer or not; it must stay up
            good = raw.send("kernel_info_request", {})
            self.assertIsNotNone(raw.reply_to(good, 20), "no reply after malformed messages")
        finally:
            raw.close()
        self.assertTrue(self.km.is_alive())
        self.assert_alive()

    def test_sockets_listen_on_loopback_only(self):
        info, _ = harness.connection_info(self.km)
        listening = harness.listening_sockets(harness.kernel_pid(self.km))
        ports = {info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
        self.assertTrue(ports <= {p for _, p in listening}, "listening %r, connection file ports %r" % (listening, ports))
        for addr, port in listening:
            self.assertIn(addr, ("127.0.0.1", "::ffff:127.0.0.1", "::1"), "port %d listens on %s" % (port, addr))
        self.assertEqual(info["ip"], "127.0.0.1")


class RestartChecks(KernelFixture):
    """Restart in a class of its own: it replaces the class's kernel."""

    def test_restart_drops_state_and_the_kernel_answers(self):
        self.assertEqual(execute(self.kc, self.samples.define_x).content["status"], "ok")
        old_pid = harness.kernel_pid(self.km)
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=120)
        harness.drain(self.kc)
        self.assertNotEqual(harness.kernel_pid(self.km), old_pid)
        r = execute(self.kc, self.samples.read_x[0])
        self.assertEqual(r.content["status"], "error", "x survived the restart: %r" % r.content)
        self.assert_alive()


# A guest that takes the OS Lock, then executes BRK #0x42. BRK is not masked by the OS Lock (Arm ARM
# D2.8), so the guest takes it at its own EL1 vector: ESR_EL1 = EC 0x3C << 26 | IL | ISS 0x42.
BRK_RUN = 'guest().osLock(true).brk(0x42).build().kvm("6.1").qemu().run()'
BRK_ESR = (0x3C << 26) | (1 << 25) | 0x42
SVG_NS = "{http://www.w3.org/2000/svg}"


class DebugLabJavaTest(KernelFixture, unittest.TestCase):
    """What only the DebugLab kernel does: DSL results inline, %%kotlin, live sweeps, guest interrupts."""
    samples = JavaSamples

    def test_kernel_info(self):
        reply = harness.shell_request(self.kc, "kernel_info_request", {})["content"]
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(reply["implementation"], "debuglab")
        self.assertEqual(reply["language_info"]["name"], "java")
        self.assertTrue(reply["protocol_version"].startswith("5."), reply["protocol_version"])
        self.assertTrue(reply["help_links"], "help_links")
        for link in reply["help_links"]:
            self.assertTrue(link["url"].startswith("http"), link)

    def check_run_bundle(self, data):
        esr = "0x%08X" % BRK_ESR
        text = data["text/plain"]
        self.assertIn("Routing", text)
        self.assertIn(esr, text)
        html = data["text/html"]
        routing = html.find("Routing")
        self.assertGreaterEqual(routing, 0, "no routing table in the HTML")
        self.assertIn("<table", html[routing:])
        self.assertIn(esr, html[routing:])        # the routing table shows the ESR the guest saw
        svg = ET.fromstring(data["image/svg+xml"])
        self.assertEqual(svg.tag, SVG_NS + "svg")
        self.assertIn(esr, "".join(svg.itertext()))  # the arrow of the guest's BRK exception is labelled with it
        trace = data["application/json"]
        self.assertIsInstance(trace, dict, "application/json must be a JSON object, not a string")
        self.assertEqual(trace.get("schema"), "debuglab.trace")
        self.assertIn(esr, json.dumps(trace))

    def test_dsl_run_displays_html_and_svg(self):
        r = execute(self.kc, "display(" + BRK_RUN + ");")
        self.assertEqual(r.content["status"], "ok", r.content)
        displays = r.of_type("display_data")
        self.assertEqual(len(displays), 1, r.iopub)
        self.check_run_bundle(displays[0]["content"]["data"])

    def test_dsl_run_as_the_cell_value_is_a_rich_result(self):
        r = execute(self.kc, BRK_RUN)
        self.assertEqual(r.content["status"], "ok", r.content)
        self.check_run_bundle(r.result_data())

    def test_dsl_value_with_a_known_text(self):
        r = execute(self.kc, BRK_RUN + ".guestExceptions().get(0).esr()")
        self.assertEqual(r.text(), str(BRK_ESR))

    def test_interrupt_stops_an_endless_guest(self):
        msg_id = self.kc.execute('guest().label("spin").asm("b spin").build().bareMetal().budget(Long.MAX_VALUE).run()')
        ProtocolChecks.wait_busy(self, msg_id)
        time.sleep(1.0)
        t0 = time.monotonic()
        reply = harness.control_request(self.kc, "interrupt_request", {}, timeout=10)
        r = harness.collect(self.kc, msg_id, timeout=20)
        self.assertLess(time.monotonic() - t0, 5.0)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(r.content["status"], "error", r.content)
        self.assertEqual(len(r.of_type("error")), 1, r.iopub)
        self.assert_alive()

    def test_kotlin_cell_shares_values_with_java_both_ways(self):
        self.assertEqual(execute(self.kc, 'int shared = 21;\nString word = "brk";').content["status"], "ok")
        k = execute(self.kc, '%%kotlin\nval doubled = shared * 2\nval fromKotlin = word + "#0x42"\ndoubled')
        self.assertEqual(k.content["status"], "ok", k.content)
        self.assertEqual(k.text(), "42")
        self.assertEqual(execute(self.kc, "doubled + 1").text(), "43")
        self.assertEqual(execute(self.kc, "fromKotlin").text(), '"brk#0x42"')
        # a DSL value made in Java, read in Kotlin
        self.assertEqual(execute(self.kc, "var brkRun = " + BRK_RUN + ";").content["status"], "ok")
        esr = execute(self.kc, "%%kotlin\nbrkRun.guestExceptions()[0].esr()")
        self.assertEqual(esr.content["status"], "ok", esr.content)
        self.assertEqual(esr.text(), str(BRK_ESR))

    def test_sweep_shows_live_progress_in_one_display(self):
        r = execute(self.kc, "Lab.sweep().oslk(false, true).kde(false, true).mde(false, true)"
                             ".events(Sweep.Event.BRK, Sweep.Event.HW_BREAKPOINT)"
                             '.versions("bare", "5.15", "5.18", "6.1", "6.12", "6.14", "7.2").run()', timeout=300)
        self.assertEqual(r.content["status"], "ok", r.content)
        displays = r.of_type("display_data")
        updates = r.of_type("update_display_data")
        self.assertTrue(displays, "no display_data for the sweep's progress: %r" % [m["msg_type"] for m in r.iopub])
        display_id = displays[0]["content"]["transient"]["display_id"]
        self.assertTrue(display_id)
        self.assertTrue(updates, "no update_display_data")
        for u in updates:
            self.assertEqual(u["content"]["transient"]["display_id"], display_id)
        # the result comes after the progress
        self.assertEqual(r.iopub.index(r.of_type("execute_result")[0]) > r.iopub.index(updates[-1]), True)


class JavaProtocolTest(ProtocolChecks, unittest.TestCase):
    samples = JavaSamples


class JavaRestartTest(RestartChecks, unittest.TestCase):
    samples = JavaSamples


class KotlinProtocolTest(ProtocolChecks, unittest.TestCase):
    samples = KotlinSamples


if os.environ.get("DEBUGLAB_E2E_BASELINE"):
    class IPythonBaselineProtocolTest(ProtocolChecks, unittest.TestCase):
        samples = PythonSamples

    class IPythonBaselineRestartTest(RestartChecks, unittest.TestCase):
        samples = PythonSamples


if __name__ == "__main__":
    unittest.main()
