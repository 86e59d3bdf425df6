"""Mongolian stop words: particles, conjunctions, postpositions and pronouns.

The list is deliberately short and holds function words only. It never holds a
word that carries a status label: the negators (үгүй, биш, бус, байхгүй, алга),
any ``-гүй`` form, the auxiliaries whose aspect the cues read (байна, байгаа,
болно, ...), contrast words (харин, гэхдээ, боловч, гэвч) and quantity words
(зарим, бүх, бүр, нийт). ``tests/test_lang_mn.py`` checks that no stop word is
one of those and that no stop word on its own yields a cue.
"""

STOP_WORDS = set(
    """
ба болон бөгөөд буюу эсвэл мөн бас түүнчлэн ч л нь юм юу вэ бэ уу үү биз шүү даа

гэж гэх гэсэн гэдэг гэдгийг мэт зэрэг гэх мэт

энэ тэр эдгээр тэдгээр энэхүү тэрхүү үүнд үүний үүнийг түүний түүнийг түүнд тэдний
тэднийг тэд бид бидний биднийг манай танай миний би та таны өөр өөрийн өөрсдийн
өөрөө ийм тийм ийнхүү иймд иймээс тиймээс ингэж ингээд тэгээд

тул учир учраас тухай талаар талаарх дээр доор дотор хойш өмнө хүртэл хооронд
хамт руу рүү луу лүү
""".split()
)
