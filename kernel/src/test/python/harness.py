"""Shared helpers for the tests that drive a kernel through real Jupyter clients.

Which kernelspecs are tested:
  DEBUGLAB_JAVA_KERNEL    (default "debuglab-java")
  DEBUGLAB_KOTLIN_KERNEL  (default "debuglab-kotlin")
The kernelspecs are found through JUPYTER_PATH; the Maven build installs them into
kernel/<build folder>/jupyter and points JUPYTER_PATH there (see kernel/pom.xml).

Everything here is plain jupyter_client / pyzmq, as a notebook front end would use them.
"""
import hashlib
import hmac
import json
import os
import re
import time
import uuid
from datetime import datetime, timezone
from queue import Empty

from jupyter_client.manager import start_new_kernel

JAVA_KERNEL = os.environ.get("DEBUGLAB_JAVA_KERNEL", "debuglab-java")
KOTLIN_KERNEL = os.environ.get("DEBUGLAB_KOTLIN_KERNEL", "debuglab-kotlin")
IPYTHON_KERNEL = "python3"

# Per-message timeout for ordinary cells (a DSL run is milliseconds; the first Kotlin cell may
# compile for a few seconds on a loaded 2-core machine).
TIMEOUT = 60

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text):
    return ANSI.sub("", text)


def start(kernel_name, **kwargs):
    """Starts a kernel and waits until it answers kernel_info (KernelManager + blocking client)."""
    return start_new_kernel(kernel_name=kernel_name, startup_timeout=120, **kwargs)


def stop(km, kc):
    try:
        kc.stop_channels()
    finally:
        km.shutdown_kernel(now=False)


def drain(kc, timeout=0.2):
    """Discards whatever is waiting on shell and iopub."""
    for get in (kc.get_shell_msg, kc.get_iopub_msg):
        while True:
            try:
                get(timeout=timeout)
            except Empty:
                break


class Result:
    """One execute request: the reply and the IOPub messages it caused, in arrival order."""

    def __init__(self, reply, iopub, arrivals):
        self.reply = reply
        self.iopub = iopub                # every IOPub message whose parent is this request
        self.arrivals = arrivals          # time.monotonic() of each IOPub message
        self.content = reply["content"]

    def of_type(self, msg_type):
        return [m for m in self.iopub if m["msg_type"] == msg_type]

    def stdout(self):
        return "".join(m["content"]["text"] for m in self.of_type("stream") if m["content"]["name"] == "stdout")

    def stderr(self):
        return "".join(m["content"]["text"] for m in self.of_type("stream") if m["content"]["name"] == "stderr")

    def result_data(self):
        results = self.of_type("execute_result")
        if len(results) != 1:
            raise AssertionError("expected one execute_result, got %d: %r" % (len(results), self.iopub))
        return results[0]["content"]["data"]

    def text(self):
        return self.result_data()["text/plain"]

    def error(self):
        errors = self.of_type("error")
        if len(errors) != 1:
            raise AssertionError("expected one error message, got %d: %r (reply %r)" % (len(errors), self.iopub, self.content))
        return errors[0]["content"]


def send_execute(kc, code, **kwargs):
    return kc.execute(code, **kwargs)


def collect(kc, msg_id, timeout=TIMEOUT):
    """Waits for the reply to msg_id and for the IOPub 'idle' of that request."""
    deadline = time.monotonic() + timeout
    reply = None
    iopub, arrivals = [], []
    idle = False
    while reply is None or not idle:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("no %s within %s s for request %s; iopub so far: %r"
                                 % ("reply" if reply is None else "idle status", timeout, msg_id, iopub))
        if reply is None:
            try:
                m = kc.get_shell_msg(timeout=min(left, 0.05))
                if m["parent_header"].get("msg_id") == msg_id:
                    reply = m
            except Empty:
                pass
        try:
            m = kc.get_iopub_msg(timeout=min(max(left, 0.01), 0.05))
        except Empty:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        iopub.append(m)
        arrivals.append(time.monotonic())
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            idle = True
    return Result(reply, iopub, arrivals)


def execute(kc, code, timeout=TIMEOUT, **kwargs):
    return collect(kc, kc.execute(code, **kwargs), timeout)


def shell_request(kc, msg_type, content, timeout=TIMEOUT):
    """Sends a shell request and returns its reply."""
    msg = kc.session.msg(msg_type, content)
    kc.shell_channel.send(msg)
    return wait_reply(kc.get_shell_msg, msg["header"]["msg_id"], timeout)


def control_request(kc, msg_type, content, timeout=TIMEOUT):
    msg = kc.session.msg(msg_type, content)
    kc.control_channel.send(msg)
    return wait_reply(kc.get_control_msg, msg["header"]["msg_id"], timeout)


def wait_reply(get, msg_id, timeout):
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("no reply to %s within %s s" % (msg_id, timeout))
        try:
            m = get(timeout=left)
        except Empty:
            continue
        if m["parent_header"].get("msg_id") == msg_id:
            return m


# ---- raw frames (for forged, unsigned and malformed messages) --------------------------------

def connection_info(km):
    info = km.get_connection_info()
    key = info["key"]
    return info, key if isinstance(key, bytes) else key.encode()


def raw_message(msg_type, content, session_id=None, msg_id=None):
    """The four JSON parts of a message, as bytes (header, parent_header, metadata, content)."""
    header = {
        "msg_id": msg_id or uuid.uuid4().hex,
        "username": "forger",
        "session": session_id or uuid.uuid4().hex,
        "date": datetime.now(timezone.utc).isoformat(),
        "msg_type": msg_type,
        "version": "5.3",
    }
    parts = [header, {}, {}, content]
    return header["msg_id"], [json.dumps(p).encode() for p in parts]


def sign(key, parts):
    h = hmac.new(key, digestmod=hashlib.sha256)
    for p in parts:
        h.update(p)
    return h.hexdigest().encode()


class RawSocket:
    """A DEALER socket on the kernel's shell port, as a hand-written client would open it."""

    def __init__(self, km, channel="shell"):
        import zmq
        self.zmq = zmq
        info, self.key = connection_info(km)
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.setsockopt(zmq.IDENTITY, uuid.uuid4().hex.encode())
        port = info["%s_port" % channel]
        self.sock.connect("%s://%s:%d" % (info["transport"], info["ip"], port))

    def send_frames(self, frames):
        self.sock.send_multipart(frames)

    def send(self, msg_type, content, signature=None):
        """Sends a message; signature None = correctly signed, else these bytes as the signature."""
        msg_id, parts = raw_message(msg_type, content)
        sig = sign(self.key, parts) if signature is None else signature
        self.sock.send_multipart([b"<IDS|MSG>", sig] + parts)
        return msg_id

    def recv(self, timeout):
        """The next message's parts after the delimiter, or None when nothing came within timeout."""
        if not self.sock.poll(int(timeout * 1000)):
            return None
        frames = self.sock.recv_multipart()
        i = frames.index(b"<IDS|MSG>")
        return frames[i + 1:]

    def reply_to(self, msg_id, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            parts = self.recv(max(0.01, deadline - time.monotonic()))
            if parts is None:
                return None
            parent = json.loads(parts[2])
            if parent.get("msg_id") == msg_id:
                return {"signature": parts[0], "header": json.loads(parts[1]), "parent_header": parent,
                        "content": json.loads(parts[4]), "parts": parts[1:5]}
        return None

    def close(self):
        self.sock.close()
        self.ctx.term()


# ---- the kernel process and its sockets -------------------------------------------------------

def kernel_pid(km):
    prov = getattr(km, "provisioner", None)
    if prov is not None and getattr(prov, "pid", None):
        return prov.pid
    return km.kernel.pid


def process_tree(pid):
    """pid and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, task)) as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return pids


def socket_inodes(pids):
    inodes = set()
    for p in pids:
        fd_dir = "/proc/%d/fd" % p
        try:
            names = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in names:
            try:
                target = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    return inodes


def _decode_ipv4(hex_addr):
    b = bytes.fromhex(hex_addr)
    return ".".join(str(x) for x in reversed(b))


def _decode_ipv6(hex_addr):
    # /proc/net/tcp6 prints the address as four host-order 32-bit words
    words = [bytes.fromhex(hex_addr[i:i + 8])[::-1] for i in range(0, 32, 8)]
    raw = b"".join(words)
    if raw[:12] == b"\x00" * 10 + b"\xff\xff":
        return "::ffff:" + ".".join(str(x) for x in raw[12:])
    import ipaddress
    return str(ipaddress.IPv6Address(raw))


def listening_sockets(pid):
    """[(address, port)] of the TCP sockets in LISTEN state owned by pid or its children."""
    inodes = socket_inodes(process_tree(pid))
    found = []
    for path, decode in (("/proc/net/tcp", _decode_ipv4), ("/proc/net/tcp6", _decode_ipv6)):
        try:
            with open("/proc/%d/net/%s" % (pid, os.path.basename(path))) as f:
                lines = f.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:
                addr, port = local.split(":")
                found.append((decode(addr), int(port, 16)))
    return found


def vm_rss_kib(pid):
    """Resident set of pid and its children, KiB, from /proc/PID/status VmRSS."""
    total = 0
    for p in process_tree(pid):
        try:
            with open("/proc/%d/status" % p) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total
