"""Load: a pack's files read through one guard, YAML with positions, validated into the lesson model.

``pack.load_pack`` reads a pack folder (or one lesson file) into a :class:`~.pack.Pack` of validated lessons,
every problem a positioned diagnostic; nothing here renders or writes.
"""
