#!/usr/bin/perl
# Builds two small MaxMind databases for the report tests with
# MaxMind::DB::Writer (Debian: libmaxmind-db-writer-perl):
#   DIR/Country.mmdb  country.iso_code
#   DIR/ASN.mmdb      autonomous_system_number / _organization
# covering the synthetic home's outside addresses (documentation ranges,
# so reserved networks are kept). The table below is the expectation the
# test checks against; it prints it as "prefix country asn org" lines.
# Usage: geoip-fixture-reports.pl DIR
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my $dir = shift // die "usage: $0 DIR\n";
my @nets = (
    [ '203.0.113.0/24',     'US', 64500, 'Example Cloud, Inc.' ],
    [ '198.51.100.0/27',    'DE', 64501, 'Beispiel Netz GmbH' ],
    [ '198.51.100.32/27',   'JP', 64502, 'Rei Networks' ],
    [ '2001:db8:f00d::/48', 'NL', 64503, 'Voorbeeld BV' ],
);
my %types = (
    country => 'map', registered_country => 'map', iso_code => 'utf8_string',
    autonomous_system_number => 'uint32', autonomous_system_organization => 'utf8_string',
);
sub tree {
    my ($type) = @_;
    return MaxMind::DB::Writer::Tree->new(
        ip_version => 6, record_size => 24, database_type => $type,
        languages => ['en'], description => { en => "iotap test $type" },
        remove_reserved_networks => 0, alias_ipv6_to_ipv4 => 1,
        map_key_type_callback => sub { $types{ $_[0] } },
    );
}
my $c = tree('GeoLite2-Country');
my $a = tree('GeoLite2-ASN');
for my $n (@nets) {
    $c->insert_network($n->[0], { country => { iso_code => $n->[1] } });
    $a->insert_network($n->[0], { autonomous_system_number => $n->[2],
                                  autonomous_system_organization => $n->[3] });
    print join('|', @$n), "\n";
}
for ([ $c, 'Country' ], [ $a, 'ASN' ]) {
    open my $fh, '>:raw', "$dir/$_->[1].mmdb" or die "$dir/$_->[1].mmdb: $!\n";
    $_->[0]->write_tree($fh);
    close $fh or die "$!\n";
}
