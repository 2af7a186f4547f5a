'use client';
// The full emoji picker (emoji-picker-react): native emoji from the package's own data, no
// images and no requests elsewhere; its recents row is "recent". Loaded on first use only.
import EmojiPicker, { EmojiStyle, SuggestionMode } from 'emoji-picker-react';

export default function FullEmojiPicker({ onPick }: { onPick: (emoji: string) => void }) {
  return (
    <EmojiPicker
      emojiStyle={EmojiStyle.NATIVE}
      suggestedEmojisMode={SuggestionMode.RECENT}
      colorScheme="auto"
      lazyLoadEmojis
      width={320}
      height={380}
      previewConfig={{ showPreview: false }}
      onEmojiClick={(data) => onPick(data.emoji)}
    />
  );
}
