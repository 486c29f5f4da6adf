#!/usr/bin/perl
# record-gen.pl - writes a classic pcap (little-endian, microseconds) of
# synthetic Ethernet/IPv4/UDP packets for the recorder tests, so they do not
# depend on any other generator. Deterministic for given arguments.
#
#   perl record-gen.pl COUNT PAYLOAD START_EPOCH INTERVAL_SECONDS RANDOM [SEED]
#
# PAYLOAD bytes of UDP payload per packet; RANDOM=1 makes the payload
# incompressible (pseudo-random), 0 makes it a counter pattern. Writes to
# stdout. Packet i carries its number in the first 4 payload bytes.
use strict;
use warnings;

my ($count, $payload, $start, $interval, $random, $seed) = @ARGV;
die "usage: $0 COUNT PAYLOAD START INTERVAL RANDOM [SEED]\n" unless defined $random;
$seed //= 1;
binmode STDOUT;
print pack('VvvVVVV', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1);
my $x = $seed & 0xffffffff;
$x ||= 1;
sub rnd {    # xorshift32
    $x ^= ($x << 13) & 0xffffffff;
    $x ^= $x >> 17;
    $x ^= ($x << 5) & 0xffffffff;
    return $x;
}
for my $i (0 .. $count - 1) {
    my $body = pack('N', $i);
    my $n = $payload - 4;
    $n = 0 if $n < 0;
    if ($random) {
        my @w;
        push @w, rnd() for 1 .. int(($n + 3) / 4);
        $body .= substr(pack('V*', @w), 0, $n);
    } else {
        $body .= substr(pack('C*', map { ($i + $_) & 0xff } 0 .. $n - 1), 0, $n);
    }
    my $udp = pack('nnnn', 40000 + ($i % 7), 9999, 8 + length($body), 0) . $body;
    my $iplen = 20 + length($udp);
    my $ip = pack('CCnnnCCnNN', 0x45, 0, $iplen, $i & 0xffff, 0, 64, 17, 0,
                  0xc0a80164, 0xc6336401);
    my $frame = pack('H12H12n', '020000000002', '020000000001', 0x0800) . $ip . $udp;
    my $t = $start + $i * $interval;
    my $sec = int($t);
    my $usec = int(($t - $sec) * 1e6 + 0.5);
    if ($usec >= 1000000) { $sec++; $usec -= 1000000; }
    print pack('VVVV', $sec, $usec, length($frame), length($frame)) . $frame;
}
