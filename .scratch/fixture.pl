# usage: perl fixture.pl file startLine endLine  (body lines from startLine to end get renamed)
my ($file, $from, $to) = @ARGV;
open my $fh, '<', $file or die; my @l = <$fh>; close $fh;
my %map = (server => 'g.server', owner => 'g.owner', ownerCmd => 'g.ownerCmd', watch => 'g.watch',
  amy => 'g.member.amy', bo => 'g.member.bo', amyCmd => 'g.cmd.amy', boCmd => 'g.cmd.bo');
for my $i ($from-1 .. ($to ? $to-1 : $#l)) {
  for my $k (sort { length($b) <=> length($a) } keys %map) {
    $l[$i] =~ s/(?<![\w'"`.\$-])$k(?=[.,);\s\]])/$map{$k}/g;
  }
}
open $fh, '>', $file or die; print $fh @l;
