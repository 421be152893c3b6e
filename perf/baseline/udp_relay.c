// udp_relay: the syscall-bound ceiling of this machine for the perf harness (perf/Relay.LoadGen).
//
// A plain UDP relay with no protocol work: every datagram from endpoint A is sent to endpoint B
// and every datagram from B to A; anything else is dropped and counted. It moves datagrams the
// way relayd's workers do (recvmmsg/sendmmsg, batches of 64, non-blocking socket + poll, 4 MiB
// socket buffers, one thread pinned to one CPU), so relayd / udp_relay is the cost of Relay's
// protocol work and runtime over the bare system calls.
//
// usage: udp_relay LISTEN_ADDR:PORT A_ADDR:PORT B_ADDR:PORT [CPU]
// Prints "udp_relay: listening on ADDR:PORT" when ready; on SIGTERM/SIGINT prints one line
// "udp_relay: stopped: received=N forwarded=N dropped-unknown-source=N send-errors=N" and exits 0.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { BATCH = 64, SLOT = 2048, SOCKET_BUFFER = 4 << 20 };

static volatile sig_atomic_t stopping;

static void on_signal(int signo) { (void)signo; stopping = 1; }

static int parse_endpoint(const char *text, struct sockaddr_in *out)
{
    char host[64];
    const char *colon = strrchr(text, ':');
    if (colon == NULL || (size_t)(colon - text) >= sizeof host) {
        return -1;
    }
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end != '\0' || port <= 0 || port > 65535) {
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->sin_family = AF_INET;
    out->sin_port = htons((unsigned short)port);
    return inet_pton(AF_INET, host, &out->sin_addr) == 1 ? 0 : -1;
}

static int same_endpoint(const struct sockaddr_in *x, const struct sockaddr_in *y)
{
    return x->sin_addr.s_addr == y->sin_addr.s_addr && x->sin_port == y->sin_port;
}

static void die(const char *what)
{
    fprintf(stderr, "udp_relay: %s: %s\n", what, strerror(errno));
    exit(1);
}

int main(int argc, char **argv)
{
    struct sockaddr_in listen_at, a, b;
    if (argc < 4 || argc > 5 || parse_endpoint(argv[1], &listen_at) || parse_endpoint(argv[2], &a)
        || parse_endpoint(argv[3], &b)) {
        fprintf(stderr, "usage: udp_relay LISTEN_ADDR:PORT A_ADDR:PORT B_ADDR:PORT [CPU]\n");
        return 2;
    }
    if (argc == 5) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(atoi(argv[4]), &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) {
            die("sched_setaffinity");
        }
    }

    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        die("socket");
    }
    int size = SOCKET_BUFFER;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size); // capped by net.core.rmem_max, like relayd
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    if (bind(fd, (struct sockaddr *)&listen_at, sizeof listen_at) != 0) {
        die("bind");
    }
    printf("udp_relay: listening on %s\n", argv[1]);
    fflush(stdout);

    static char buffers[BATCH][SLOT];
    static struct sockaddr_in sources[BATCH];
    static struct iovec receive_iov[BATCH], send_iov[BATCH];
    static struct mmsghdr receive[BATCH], send[BATCH];
    for (int i = 0; i < BATCH; i++) {
        receive_iov[i].iov_base = buffers[i];
        receive[i].msg_hdr.msg_iov = &receive_iov[i];
        receive[i].msg_hdr.msg_iovlen = 1;
        receive[i].msg_hdr.msg_name = &sources[i];
        send[i].msg_hdr.msg_iov = &send_iov[i];
        send[i].msg_hdr.msg_iovlen = 1;
        send[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
    }

    unsigned long long received = 0, forwarded = 0, unknown = 0, send_errors = 0;
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    while (!stopping) {
        for (int i = 0; i < BATCH; i++) {
            receive_iov[i].iov_len = SLOT;
            receive[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
            receive[i].msg_hdr.msg_flags = 0;
        }
        int count = recvmmsg(fd, receive, BATCH, MSG_DONTWAIT, NULL);
        if (count <= 0) {
            // Same as relayd: poll with a bounded wait, so a stop request is seen.
            poll(&pfd, 1, 100);
            continue;
        }
        received += (unsigned long long)count;
        int queued = 0;
        for (int i = 0; i < count; i++) {
            const struct sockaddr_in *to;
            if (same_endpoint(&sources[i], &a)) {
                to = &b;
            } else if (same_endpoint(&sources[i], &b)) {
                to = &a;
            } else {
                unknown++;
                continue;
            }
            send_iov[queued].iov_base = buffers[i];
            send_iov[queued].iov_len = receive[i].msg_len;
            send[queued].msg_hdr.msg_name = (void *)to;
            queued++;
        }
        int offset = 0;
        while (offset < queued) {
            int sent = sendmmsg(fd, send + offset, (unsigned)(queued - offset), 0);
            if (sent < 0) {
                if (errno == EINTR) {
                    continue;
                }
                if (errno == EAGAIN) {
                    struct pollfd out = { .fd = fd, .events = POLLOUT };
                    if (poll(&out, 1, 100) > 0) {
                        continue;
                    }
                }
                send_errors++; // the head datagram is refused: count it, go on with the rest
                sent = 1;
            } else {
                forwarded += (unsigned long long)sent;
            }
            offset += sent;
        }
    }
    printf("udp_relay: stopped: received=%llu forwarded=%llu dropped-unknown-source=%llu send-errors=%llu\n",
           received, forwarded, unknown, send_errors);
    fflush(stdout);
    close(fd);
    return 0;
}
