// The interactive quiz. Each question takes one answer: the chosen button says "Right" or "Wrong",
// the verdict under the choices explains it (the explanations carry no verdict of their own: the
// page words it once), and the score counts first answers. Everything works with the keyboard:
// the choices are buttons (Tab, then Enter or Space), and "Start again" resets the quiz.
(function () {
  var questions = Array.prototype.slice.call(document.querySelectorAll('[data-question]'));
  var scoreboard = document.querySelector('[data-scoreboard]');
  var scoreText = document.querySelector('[data-score]');
  var answeredText = document.querySelector('[data-answered]');
  var reset = document.querySelector('[data-reset]');
  var score = 0;
  var answered = 0;

  function choicesOf(question) {
    return Array.prototype.slice.call(question.querySelectorAll('.choice'));
  }

  function updateScore() {
    scoreText.textContent = String(score);
    answeredText.textContent = String(answered);
  }

  function explanationOf(choice) {
    return choice.parentNode.querySelector('.explanation').textContent;
  }

  function letterOf(choice) {
    return choice.querySelector('.letter').textContent;
  }

  function answer(question, chosen) {
    if (question.hasAttribute('data-done')) return;
    question.setAttribute('data-done', '');
    var correct = null;
    choicesOf(question).forEach(function (choice) {
      choice.setAttribute('aria-disabled', 'true');
      if (choice.getAttribute('data-correct') === 'true') correct = choice;
    });
    var right = chosen === correct;
    chosen.classList.add('chosen', right ? 'right' : 'wrong');
    chosen.querySelector('.mark').textContent = right ? 'Right' : 'Wrong';
    var verdict = right ? 'Right. ' + explanationOf(chosen) : 'Wrong. ' + explanationOf(chosen);
    if (!right && correct) {
      correct.classList.add('right');
      correct.querySelector('.mark').textContent = 'Right answer';
      verdict += ' The right answer is ' + letterOf(correct) + '. ' + explanationOf(correct);
    }
    question.querySelector('.verdict').textContent = verdict;
    question.querySelector('.verdict').className = 'verdict ' + (right ? 'right' : 'wrong');
    answered += 1;
    if (right) score += 1;
    updateScore();
  }

  function startAgain() {
    score = 0;
    answered = 0;
    questions.forEach(function (question) {
      question.removeAttribute('data-done');
      question.querySelector('.verdict').textContent = '';
      question.querySelector('.verdict').className = 'verdict';
      choicesOf(question).forEach(function (choice) {
        choice.removeAttribute('aria-disabled');
        choice.classList.remove('right', 'wrong', 'chosen');
        choice.querySelector('.mark').textContent = '';
      });
    });
    updateScore();
    var first = questions.length ? choicesOf(questions[0])[0] : null;
    if (first) first.focus();
  }

  questions.forEach(function (question) {
    choicesOf(question).forEach(function (choice) {
      choice.disabled = false;
      choice.addEventListener('click', function () {
        answer(question, choice);
      });
    });
  });
  if (reset) reset.addEventListener('click', startAgain);
  if (scoreboard) scoreboard.hidden = false;
  updateScore();
})();
