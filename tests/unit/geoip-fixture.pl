#!/usr/bin/perl
# geoip-fixture.pl DIR - writes two small MaxMind DB files for test-geoip
# with Debian's libmaxmind-db-writer-perl:
#   DIR/GeoLite2-Country.mmdb  (database_type GeoLite2-Country)
#   DIR/GeoLite2-ASN.mmdb      (database_type GeoLite2-ASN)
# The networks are documentation ranges (RFC 5737, RFC 3849), so reserved
# networks must not be removed. Exits 77 when the Perl module is missing.
use strict;
use warnings;

my $dir = shift or die "usage: $0 DIR\n";
eval { require MaxMind::DB::Writer::Tree; 1 } or do {
    print "MaxMind::DB::Writer::Tree not installed (libmaxmind-db-writer-perl)\n";
    exit 77;
};

my %types = (
    country                        => 'map',
    registered_country             => 'map',
    iso_code                       => 'utf8_string',
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
);

sub tree {
    my ($type) = @_;
    return MaxMind::DB::Writer::Tree->new(
        ip_version               => 6,
        record_size              => 24,
        database_type            => $type,
        languages                => ['en'],
        description              => { en => "iotap test $type" },
        map_key_type_callback    => sub { $types{ $_[0] } },
        remove_reserved_networks => 0,
    );
}

sub write_db {
    my ($tree, $path) = @_;
    open my $fh, '>:raw', $path or die "$path: $!\n";
    $tree->write_tree($fh);
    close $fh or die "$path: $!\n";
}

my $c = tree('GeoLite2-Country');
$c->insert_network('203.0.113.0/24', { country => { iso_code => 'DE' } });
$c->insert_network('198.51.100.0/24', { registered_country => { iso_code => 'FR' } });
$c->insert_network('2001:db8:1::/48', { country => { iso_code => 'JP' } });
write_db($c, "$dir/GeoLite2-Country.mmdb");

my $a = tree('GeoLite2-ASN');
$a->insert_network('203.0.113.0/24', {
    autonomous_system_number => 64500, autonomous_system_organization => 'Example Org, Inc.' });
$a->insert_network('2001:db8:1::/48', {
    autonomous_system_number => 64501, autonomous_system_organization => "Test \"IPv6\" Networks" });
write_db($a, "$dir/GeoLite2-ASN.mmdb");
exit 0;
